import ArgumentParser
import Foundation
import Journal
import JournalStore
import Report

/// `xj plot`: learning curves of experiments, or a metric over a sweep, as SVG.
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw learning curves or a sweep's metric as an SVG file.",
        discussion: """
        With experiment ids: train and validation loss (and accuracy) per epoch, and every other recorded curve under its own name, one colour per experiment, the legend naming the parameters that differ. With --grid: the mean of --metric over one parameter (a line with error bars, ±1 sd over seeds, log-scaled when the values are; a categorical parameter gets its values as the axis) or two (a heat map), from the experiments on the current line of inquiry (committed and staged) or --on a branch. With --parallel: parallel coordinates over any number of parameters, each experiment a line coloured by --metric. Experiments on different datasets are drawn in panels of their own, never averaged together. The SVG needs no other program; --json prints the data behind the plot instead.

        Examples:
          xj plot 5dfe28a ed86296 -o curves.svg
          xj plot --grid lr hidden --metric val_loss -o grid.svg
          xj plot --grid lr --metric val_accuracy --on hypothesis/dropout-helps --json
          xj plot --parallel lr hidden dropout optimizer --metric val_accuracy -o sweep.svg
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Experiments (id prefixes) whose learning curves to draw.", valueName: "experiment"))
    var experiments: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("One or two parameters to plot --metric over.", valueName: "param"))
    var grid: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Parameters to draw as parallel coordinates, coloured by --metric.", valueName: "param"))
    var parallel: [String] = []

    @Option(help: "The metric for --grid and --parallel.")
    var metric: String = "val_loss"

    @Option(help: ArgumentHelp("The line of inquiry whose experiments --grid and --parallel plot (default: the current one, with what is staged).", valueName: "branch"))
    var on: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the SVG here (default: standard output).", valueName: "file"))
    var output: String?

    @Flag(help: "Print the data behind the plot as JSON instead of drawing it.")
    var json = false

    func validate() throws {
        let modes = [!experiments.isEmpty, !grid.isEmpty, !parallel.isEmpty].filter { $0 }.count
        if modes == 0 { throw ValidationError("name experiments to plot their curves, --grid PARAM [PARAM] for a sweep, or --parallel PARAM… for many parameters") }
        if modes > 1 { throw ValidationError("give one of: experiments, --grid, --parallel") }
        if grid.count > 2 { throw ValidationError("--grid takes one or two parameters, got \(grid.count); --parallel draws more") }
        if !parallel.isEmpty && parallel.count < 2 { throw ValidationError("--parallel takes at least two parameters; --grid draws one") }
        if Set(grid + parallel).count < grid.count + parallel.count { throw ValidationError("a parameter is named twice") }
    }

    func run() throws {
        let journal = try global.openJournal()
        let (figure, data): (SVGFigure, JSONValue)
        if !experiments.isEmpty {
            let records = try experiments.map { name -> ExperimentRecord in
                guard case let .experiment(record) = try journal.show(name) else { throw JournalError.unknown(kind: "experiment", name: name) }
                return record
            }
            var names: [TreeID: String] = [:]
            if let state = try journal.workingState() { names = try journal.datasetNames(in: state) }
            (figure, data) = try CurvePlot.figure(records, datasetNames: names)
        } else {
            let state: TreeID?
            if let on {
                state = try journal.repository.commit(try journal.resolveRevision(on)).tree
            } else {
                state = try journal.workingState()
            }
            let records = try state.map { try journal.experiments(in: $0) } ?? []
            guard !records.isEmpty else { throw PlotError.noExperiments("on \(try on ?? journal.currentBranch())") }
            var names: [TreeID: String] = [:]
            if let state { names = try journal.datasetNames(in: state) }
            (figure, data) = parallel.isEmpty ? try GridPlot.figure(records, parameters: grid, metric: metric, datasetNames: names)
                                              : try ParallelPlot.figure(records, parameters: parallel, metric: metric, datasetNames: names)
        }
        if json {
            Output.json(data)
            return
        }
        try Output.write(figure.svg, to: output)
    }
}
