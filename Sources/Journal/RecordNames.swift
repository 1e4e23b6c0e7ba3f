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
}
