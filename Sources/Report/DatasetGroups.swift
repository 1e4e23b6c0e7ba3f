import Journal
import JournalStore

/// Experiments split by the dataset they ran on, so no plot averages or shares an axis across
/// datasets. Programs recorded by `xj run` (no dataset) form a group of their own.
enum DatasetGroups {
    /// The groups in a stable order (by name, unnamed datasets by id, programs last), each with the
    /// dataset's name (nil when there is a single group, which needs no name). Members keep their order.
    static func split<Member>(_ members: [Member], dataset: (Member) -> TreeID?, names: [TreeID: String]) -> [(name: String?, experiments: [Member])] {
        var groups: [String: [Member]] = [:]
        var shown: [String: String] = [:]
        // Keys by dataset, made once per dataset rather than once per member.
        var keys: [TreeID?: String] = [:]
        for member in members {
            let id = dataset(member)
            let key: String
            if let known = keys[id] {
                key = known
            } else if let id {
                let name = names[id] ?? "dataset " + id.short
                key = "0" + name + id.hex
                shown[key] = name
                keys[id] = key
            } else {
                key = "1programs"
                shown[key] = "programs (xj run)"
                keys[id] = key
            }
            groups[key, default: []].append(member)
        }
        let sorted = groups.keys.sorted()
        return sorted.map { (sorted.count > 1 ? shown[$0] : nil, groups[$0]!) }
    }

    static func split(_ experiments: [ExperimentRecord], names: [TreeID: String]) -> [(name: String?, experiments: [ExperimentRecord])] {
        split(experiments, dataset: \.datasetID, names: names)
    }

    /// Rows of experiment columns, split the same way.
    static func split(_ rows: [Int], of columns: ExperimentColumns, names: [TreeID: String]) -> [(name: String?, experiments: [Int])] {
        split(rows, dataset: columns.dataset(ofRow:), names: names)
    }
}
