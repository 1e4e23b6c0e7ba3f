import Foundation

/// Writing a derived, rebuildable file (the run index, the summary cache and its index, table
/// profiles) so a reader sees the old file or the new one, never half of one: a temporary file in the
/// same folder, then a rename. A failure leaves the old file and no temporary behind.
public enum DerivedFile {
    /// Replaces `path` with the concatenation of `parts` (written straight from the buffers, no joined
    /// copy); false when the file could not be written or renamed.
    @discardableResult
    public static func replace(_ path: String, with parts: [UnsafeRawBufferPointer], temporaryFolder: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? "derived"
        let temporary = temporaryFolder + "/.\(name).\(UUID().uuidString).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        var written = descriptor >= 0
        for part in parts where written { written = DescriptorWriting.writeAll(descriptor, part) }
        if descriptor >= 0 { close(descriptor) }
        guard written, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    @discardableResult
    public static func replace(_ path: String, with bytes: [UInt8], temporaryFolder: String) -> Bool {
        bytes.withUnsafeBytes { replace(path, with: [$0], temporaryFolder: temporaryFolder) }
    }
}
