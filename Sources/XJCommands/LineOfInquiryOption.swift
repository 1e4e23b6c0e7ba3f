import ArgumentParser

/// `--on BRANCH`: work on a line of inquiry other than the current one, with its own stage, so two
/// terminals can work on two lines of one journal at once.
struct LineOfInquiryOption: ParsableArguments {
    @Option(name: .customLong("on"), help: ArgumentHelp("Work on this line of inquiry (and its stage) instead of the current one.", valueName: "branch"), completion: NameCompletion.lines)
    var line: String?
}
