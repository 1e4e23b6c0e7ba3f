import Journal
import JournalStore

/// Experiments split by the dataset they ran on, so no plot averages or shares an axis across
/// datasets. Programs recorded by `xj run` (no dataset) form a group of their own.
enum DatasetGroups {
    /// The groups in a stable order (by name, unnamed datasets by id, programs last), each with the
    /// dataset's name (nil when there is a single group, which needs no name).
    static func split(_ experiments: [ExperimentRecord], names: [TreeID: String]) -> [(name: String?, experiments: [ExperimentRecord])] {
        var groups: [String: [ExperimentRecord]] = [:]
        var shown: [String: String] = [:]
        for experiment in experiments {
            let key: String
            if let dataset = experiment.datasetID {
                let name = names[dataset] ?? "dataset " + dataset.short
                key = "0" + name + dataset.hex
                shown[key] = name
            } else {
                key = "1programs"
                shown[key] = "programs (xj run)"
            }
            groups[key, default: []].append(experiment)
        }
        let keys = groups.keys.sorted()
        return keys.map { (keys.count > 1 ? shown[$0] : nil, groups[$0]!) }
    }
}
