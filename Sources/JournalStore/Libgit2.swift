import CGit2
import CGitStart

/// The one place that initialises libgit2 and turns its `Int32` status codes into `StoreError`s.
enum Libgit2 {
    /// `git_libgit2_init()`, run once per process on first use, without the certificate bundle
    /// (Decisions/0021): `prepareTransport` loads it for the transfers that need it.
    static let initialized: Void = {
        _ = xj_git_init_without_certificates()
    }()

    /// Loads the certificate authorities libgit2 would have loaded at start-up, before a transfer to
    /// `url` over http or https (an http server may redirect to https); other URLs need none.
    static func prepareTransport(url: String) {
        let scheme = url.prefix(8).lowercased()
        guard scheme.hasPrefix("https://") || scheme.hasPrefix("http://") else { return }
        _ = initialized
        _ = xj_git_load_certificates()
    }

    /// Whether the certificate authorities are loaded in this process.
    static var certificatesLoaded: Bool { xj_git_certificates_loaded() != 0 }

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
