import JournalStore

/// Rules for the names users give to datasets, parameter sets and lines of inquiry.
public enum RecordNames {
    /// A dataset or parameter-set name: one path component of printable characters.
    /// - Throws: `JournalError.invalidName` saying what is wrong.
    public static func validate(_ name: String, kind: String) throws {
        guard !name.isEmpty else { throw JournalError.invalidName(kind: kind, name: name, reason: "is empty") }
        guard name.count <= 200 else { throw JournalError.invalidName(kind: kind, name: name, reason: "is longer than 200 characters") }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw JournalError.invalidName(kind: kind, name: name, reason: "contains a control character")
        }
        if name.contains("/") || name.contains("\\") { throw JournalError.invalidName(kind: kind, name: name, reason: "contains a slash; use a plain name") }
        if name == "." || name.contains("..") { throw JournalError.invalidName(kind: kind, name: name, reason: "contains `..`") }
        if name.hasPrefix(".") || name.hasPrefix("-") {
            throw JournalError.invalidName(kind: kind, name: name, reason: "starts with `\(name.first!)`")
        }
        guard GitRepository.isValidEntryName(name) else { throw JournalError.invalidName(kind: kind, name: name, reason: "cannot be stored") }
    }

    /// A branch (line of inquiry) name: a valid git ref name below `refs/heads/`, not starting with `-`.
    public static func validateBranch(_ name: String) throws {
        guard !name.isEmpty, !name.hasPrefix("-"), GitRepository.isValidReferenceName(JournalLayout.branchReference(name)) else {
            throw JournalError.invalidName(kind: "line of inquiry", name: name, reason: "is not a valid git branch name")
        }
    }

    /// " (did you mean "x"?)" when one of `candidates` is within two edits of `name`, else "".
    public static func suggestion(for name: String, among candidates: [String]) -> String {
        nearest(to: name, among: candidates).map { " (did you mean \($0.debugDescription)?)" } ?? ""
    }

    /// The candidate within two edits of `name` (the closest, then the first alphabetically), if any.
    public static func nearest(to name: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(name, $0)) }.filter { $0.1 <= 2 && $0.0 != name }
        return scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) })?.0
    }

    /// Levenshtein distance, for typo suggestions (names are short).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
