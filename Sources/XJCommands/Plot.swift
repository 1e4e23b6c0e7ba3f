import ArgumentParser
import Foundation
import Journal
import JournalStore
import Report

/// `xj plot`: learning curves of experiments, or a metric over a sweep, as SVG.
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw learning curves or a sweep's metric as an SVG file.",
        discussion: """
        With experiment ids: train and validation loss (and accuracy) per epoch, one colour per experiment, the legend naming the parameters that differ. With --grid: the mean of --metric over one parameter (a line with error bars, ±1 sd over seeds, log-scaled when the values are) or two (a heat map), from the experiments on the current line of inquiry (committed and staged) or --on a branch. The SVG needs no other program; --json prints the data behind the plot instead.

        Examples:
          xj plot 5dfe28a ed86296 -o curves.svg
          xj plot --grid lr hidden --metric val_loss -o grid.svg
          xj plot --grid lr --metric val_accuracy --on hypothesis/dropout-helps --json
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Experiments (id prefixes) whose learning curves to draw.", valueName: "experiment"))
    var experiments: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("One or two parameters to plot --metric over.", valueName: "param"))
    var grid: [String] = []

    @Option(help: "The metric for --grid.")
    var metric: String = "val_loss"

    @Option(help: ArgumentHelp("The line of inquiry whose experiments --grid plots (default: the current one, with what is staged).", valueName: "branch"))
    var on: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the SVG here (default: standard output).", valueName: "file"))
    var output: String?

    @Flag(help: "Print the data behind the plot as JSON instead of drawing it.")
    var json = false

    func validate() throws {
        if experiments.isEmpty && grid.isEmpty { throw ValidationError("name experiments to plot their curves, or --grid PARAM [PARAM] for a sweep") }
        if !experiments.isEmpty && !grid.isEmpty { throw ValidationError("give experiments or --grid, not both") }
        if grid.count > 2 { throw ValidationError("--grid takes one or two parameters, got \(grid.count)") }
    }

    func run() throws {
        let journal = try global.openJournal()
        let (figure, data): (SVGFigure, JSONValue)
        if grid.isEmpty {
            let records = try experiments.map { name -> ExperimentRecord in
                guard case let .experiment(record) = try journal.show(name) else { throw JournalError.unknown(kind: "experiment", name: name) }
                return record
            }
            (figure, data) = try CurvePlot.figure(records)
        } else {
            let state: TreeID?
            if let on {
                state = try journal.repository.commit(try journal.resolveRevision(on)).tree
            } else {
                state = try journal.workingState()
            }
            let records = try state.map { try journal.experiments(in: $0) } ?? []
            guard !records.isEmpty else { throw PlotError.noExperiments("on \(try on ?? journal.currentBranch())") }
            (figure, data) = try GridPlot.figure(records, parameters: grid, metric: metric)
        }
        if json {
            Output.json(data)
            return
        }
        try Output.write(figure.svg, to: output)
    }
}
