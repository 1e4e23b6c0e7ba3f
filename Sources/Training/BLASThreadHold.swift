import Foundation

/// The count of `BLAS.singleThreaded` holds in this process: OpenBLAS's thread count is one setting
/// for the whole process, so overlapping holds must agree on when to set it and what to restore.
final class BLASThreadHold: @unchecked Sendable {
    static let shared = BLASThreadHold()
    private let lock = NSLock()
    private var holders = 0
    private var saved = 1

    func enter() {
        lock.lock()
        defer { lock.unlock() }
        if holders == 0 {
            saved = BLAS.threadCount
            if saved != 1 { BLAS.setThreadCount(1) }
        }
        holders += 1
    }

    func leave() {
        lock.lock()
        defer { lock.unlock() }
        holders -= 1
        if holders == 0 && saved != 1 { BLAS.setThreadCount(saved) }
    }
}
