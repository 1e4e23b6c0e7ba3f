import Foundation

/// Writing a whole buffer to a file descriptor, as write(2) may take less than asked.
public enum DescriptorWriting {
    /// Writes every byte, retrying after short writes and interruptions; false on any other failure
    /// (errno says why).
    @discardableResult
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let start = bytes.baseAddress else { return true }
        var offset = 0
        while offset < bytes.count {
            let count = write(descriptor, start + offset, bytes.count - offset)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }
}
