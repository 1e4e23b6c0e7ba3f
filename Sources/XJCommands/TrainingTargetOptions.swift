import ArgumentParser

/// What `xj train` and `xj grid` train on: the dataset, an optional validation dataset, the model.
struct TrainingTargetOptions: ParsableArguments {
    @Option(help: "The dataset to train on (a name, or an id prefix).", completion: NameCompletion.datasets)
    var data: String

    @Option(help: "A separate validation dataset (default: a stratified split of --data).", completion: NameCompletion.datasets)
    var val: String?

    @Option(help: "linear or mlp.")
    var model: String = "mlp"
}
