// MARK: - Three-way tree merge

extension GitRepository {
    /// Merges two trees against their common base, path by path: a side that left an entry as in the
    /// base takes the other side's; equal entries are kept; two subtrees that both changed are merged
    /// recursively; anything else is a conflict. Nothing is written when there are conflicts.
    /// - Returns: the merged tree, or the conflicts.
    public func mergeTrees(base: TreeID?, ours: TreeID?, theirs: TreeID?) throws -> Result<TreeID?, MergeConflicts> {
        var conflicts: [TreeConflict] = []
        let merged = try merge(base: base, ours: ours, theirs: theirs, prefix: "", conflicts: &conflicts)
        return conflicts.isEmpty ? .success(merged) : .failure(MergeConflicts(conflicts: conflicts))
    }

    private func merge(base: TreeID?, ours: TreeID?, theirs: TreeID?, prefix: String, conflicts: inout [TreeConflict]) throws -> TreeID? {
        if ours == theirs { return ours }
        if ours == base { return theirs }
        if theirs == base { return ours }
        func entries(_ tree: TreeID?) throws -> [String: TreeEntry] {
            guard let tree else { return [:] }
            return Dictionary(try self.tree(tree).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let (b, o, t) = (try entries(base), try entries(ours), try entries(theirs))
        var result: [TreeEntry] = []
        for name in Set(o.keys).union(t.keys).union(b.keys).sorted() {
            let (be, oe, te) = (b[name], o[name], t[name])
            let path = prefix.isEmpty ? name : prefix + "/" + name
            if oe == te { if let oe { result.append(oe) }; continue }
            if oe == be { if let te { result.append(te) }; continue }
            if te == be { if let oe { result.append(oe) }; continue }
            let allTrees = [be, oe, te].allSatisfy { $0 == nil || $0!.kind == .tree } && oe != nil && te != nil
            if allTrees {
                if let merged = try merge(base: be.map { TreeID($0.id) }, ours: TreeID(oe!.id), theirs: TreeID(te!.id), prefix: path, conflicts: &conflicts) {
                    result.append(.tree(name, merged))
                }
                continue
            }
            conflicts.append(TreeConflict(path: path, ours: oe?.id, theirs: te?.id))
        }
        guard conflicts.isEmpty else { return nil }
        return result.isEmpty ? nil : try writeTree(result)
    }
}
