import CGit2

/// The one place that initialises libgit2 and turns its `Int32` status codes into `StoreError`s.
enum Libgit2 {
    /// `git_libgit2_init()`, run once per process on first use.
    static let initialized: Void = {
        git_libgit2_init()
    }()

    /// Throws `StoreError.libgit2` carrying `git_error_last()` when `status` is negative.
    /// - Parameters:
    ///   - status: the return value of a libgit2 call.
    ///   - operation: the name of the C function, recorded so a failure says which call failed.
    @discardableResult
    static func check(_ status: Int32, _ operation: String) throws -> Int32 {
        guard status < 0 else { return status }
        throw StoreError.libgit2(operation: operation, code: status, message: lastErrorMessage())
    }

    /// The message of the last libgit2 error on this thread, copied into Swift at once.
    static func lastErrorMessage() -> String {
        guard let error = git_error_last(), let text = error.pointee.message else { return "unknown error" }
        return String(cString: text)
    }
}
