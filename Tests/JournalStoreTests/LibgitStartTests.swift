import Foundation
import Testing
@testable import JournalStore

/// libgit2 starts without the certificate bundle, and loads it for http(s) remotes only (Decisions/0021).
@Suite(.serialized) struct LibgitStartTests {
    private let bundle = "/etc/ssl/certs/ca-certificates.crt"

    /// The process's `stat` is xj's: after libgit2's start it answers as glibc's would, for the bundle too.
    @Test func statAnswersAsGlibcAfterTheStart() throws {
        _ = Libgit2.initialized
        let folder = NSTemporaryDirectory() + "libgit-start-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("12345".utf8).write(to: URL(fileURLWithPath: folder + "/five"))
        var info = stat()
        #expect(stat(folder + "/five", &info) == 0 && info.st_size == 5 && (info.st_mode & S_IFMT) == S_IFREG)
        #expect(stat(folder, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR)
        errno = 0
        #expect(stat(folder + "/missing", &info) == -1 && errno == ENOENT)
        if FileManager.default.fileExists(atPath: bundle) {
            #expect(stat(bundle, &info) == 0 && info.st_size > 0)
        }
    }

    @Test func onlyHttpAndHttpsRemotesLoadTheBundle() throws {
        let folder = NSTemporaryDirectory() + "libgit-start-remotes-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let repository = try GitRepository.create(at: folder)
        #expect(!Libgit2.certificatesLoaded, "nothing in this test process reaches an http(s) remote before this test")
        for (name, url) in [("path", "/srv/lab.git"), ("daemon", "git://127.0.0.1:1/lab.git"), ("ssh", "ssh://git@127.0.0.1:1/lab.git")] {
            try repository.addRemote(name, url: url)
            _ = try repository.lookupRemote(name)
        }
        #expect(!Libgit2.certificatesLoaded)
        try repository.addRemote("web", url: "HTTPS://127.0.0.1:1/lab.git")
        _ = try repository.lookupRemote("web")
        #expect(Libgit2.certificatesLoaded)
    }
}
