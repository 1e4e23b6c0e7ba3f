import Foundation

// MARK: - Checking the ref files themselves

extension GitRepository {
    /// What is wrong with the ref files as they lie on disk (`HEAD`, every file below `refs/`,
    /// `packed-refs`), read as bytes rather than through libgit2, which skips a ref it cannot parse.
    /// A ref is 40 hex digits and a newline, or `ref: <valid name>`; HEAD must name a branch; a
    /// ref below `refs/heads/` or `refs/xj/` must be direct; no symbolic ref may name itself.
    /// - Returns: one line per problem, naming the file.
    public func referenceFileProblems() -> [String] {
        var problems: [String] = []
        func text(_ relative: String) -> String? {
            FileManager.default.contents(atPath: path + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
        }
        func isObjectID(_ value: Substring) -> Bool {
            value.utf8.count == 40 && value.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        }
        func check(_ name: String, _ content: String) {
            guard content.hasSuffix("\n") else { problems.append("\(name): \(describe(content)) is not a ref (no newline at the end)"); return }
            let value = content.dropLast()
            if isObjectID(value) {
                if name == "HEAD" { problems.append("HEAD is detached at \(value.prefix(7)); xj keeps HEAD on a line of inquiry (xj switch main)") }
                return
            }
            guard value.hasPrefix("ref: ") else { problems.append("\(name): \(describe(content)) is neither an object id nor `ref: NAME`"); return }
            let target = String(value.dropFirst(5))
            if !Self.isValidReferenceName(target) { problems.append("\(name): names \(target.debugDescription), which is not a valid ref name") }
            else if target == name { problems.append("\(name): names itself") }
            else if name == "HEAD" && !target.hasPrefix("refs/heads/") { problems.append("HEAD names \(target), which is not a line of inquiry (refs/heads/…)") }
            else if name.hasPrefix("refs/heads/") || name.hasPrefix("refs/xj/") { problems.append("\(name): is a symbolic ref to \(target); xj writes direct refs there") }
        }
        if let head = text("HEAD") { check("HEAD", head) } else { problems.append("HEAD is missing") }
        let refsFolder = path + "/refs"
        if let enumerator = FileManager.default.enumerator(atPath: refsFolder) {
            while let relative = enumerator.nextObject() as? String {
                var isDirectory: ObjCBool = false
                let full = refsFolder + "/" + relative
                guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue, !relative.hasSuffix(".lock") else { continue }
                let name = "refs/" + relative
                guard Self.isValidReferenceName(name) else { problems.append("\(name): not a valid ref name"); continue }
                check(name, text(name) ?? "")
            }
        }
        if let packed = text("packed-refs") {
            for (number, line) in packed.split(separator: "\n", omittingEmptySubsequences: true).enumerated() where !line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 1)
                if line.hasPrefix("^"), isObjectID(line.dropFirst()) { continue }
                guard parts.count == 2, isObjectID(parts[0]), Self.isValidReferenceName(String(parts[1])) else {
                    problems.append("packed-refs line \(number + 1): \(describe(String(line))) is not `<object id> <ref name>`")
                    continue
                }
            }
        }
        return problems
    }

    /// A short, printable excerpt of file content for an error line.
    private func describe(_ content: String) -> String {
        if content.isEmpty { return "an empty file" }
        let excerpt = String(content.prefix(40))
        return excerpt.debugDescription + (content.count > 40 ? "…" : "")
    }
}
