import ArgumentParser
import Foundation
import Journal
import JournalStore
import Report

/// `xj report`: one self-contained HTML page for lines of inquiry.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of lines of inquiry.",
        discussion: """
        One HTML file that needs no network (inline CSS and SVG, a few lines of script to sort tables): for each line of inquiry, the hypothesis and its predictions with their verdicts and the statistics behind them; a sortable table of experiments (the parameters that vary, headline metrics, sanity checks) where every row links the commit that recorded it; learning curves; the grid plot; data provenance (dataset names, ids, manifests); and the commits. It shows what is committed; `xj commit` what is staged first.

        Examples:
          xj report -o report.html                              # the current line of inquiry
          xj report main hypothesis/dropout-helps -o report.html
          xj report --open                                      # a temporary file; its path is printed
          xj report --table-rows 2000 -o report.html            # a longer experiments table (default 500)
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Lines of inquiry to report (default: the current one).", valueName: "branch"))
    var branches: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the HTML here.", valueName: "file"))
    var output: String?

    @Flag(help: "Write to a temporary file and print its path (to open in a browser).")
    var open = false

    @Option(help: ArgumentHelp("At most this many experiments in a line's table: those with the lowest validation loss (the page stays readable at 100,000 experiments; `xj runs --csv` lists every one).", valueName: "n"))
    var tableRows = ReportPage.defaultTableRows

    func validate() throws {
        guard tableRows >= 1 else { throw ValidationError("--table-rows \(tableRows): give a number of rows of at least 1") }
        if output == nil && !open { throw ValidationError("say where the report goes: -o FILE, or --open for a temporary file") }
        if output != nil && open { throw ValidationError("give -o FILE or --open, not both") }
    }

    func run() throws {
        // A few hundred records read whole from a pack that may hold 100,000 experiments.
        GitLibrary.mapPacksInSmallWindows()
        let journal = try global.openJournal()
        let names = branches.isEmpty ? [try journal.currentBranch()] : branches
        for name in names { try RecordNames.validateBranch(name) }
        let lines = try names.map { try ReportLine(journal: journal, branch: $0, detailedRows: tableRows) }
        ExitRetention.keep(lines)
        let html = ReportPage.html(lines, tableRows: tableRows)
        let path = output ?? FileManager.default.temporaryDirectory.appendingPathComponent("xj-report-\(UUID().uuidString.prefix(8)).html").path
        try Output.write(html, to: path)
        Output.line(open ? path : "wrote \(path) (\(lines.map { "\($0.branch): \($0.experimentCount) experiments" }.joined(separator: "; ")))")
        Output.noteStagedWork(journal, notIncludedIn: "the report")
    }
}
