import Foundation
import Testing
import XJTestSupport

/// https remotes with libgit2 started without the certificate bundle (Decisions/0021): the bundle is
/// loaded before the transfer, the TLS handshake runs, and a certificate no authority signed is refused.
@Suite struct HTTPSRemoteCLITests {
    /// A TLS server on 127.0.0.1 with a self-signed certificate (Fixtures/self-signed-*.pem), which
    /// completes handshakes and then closes; stopped by its own PID.
    final class SelfSignedServer {
        let process = Process()
        let port: Int

        init() throws {
            let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
            let script = """
            import socket, ssl, sys
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[1], sys.argv[2])
            server = socket.socket()
            server.bind(("127.0.0.1", 0))
            server.listen(8)
            print(server.getsockname()[1], flush=True)
            while True:
                connection, _ = server.accept()
                try:
                    context.wrap_socket(connection, server_side=True).recv(1)
                except Exception:
                    pass
                connection.close()
            """
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", script, fixtures + "/self-signed-cert.pem", fixtures + "/self-signed-key.pem"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                kill(process.processIdentifier, SIGKILL)
                throw CocoaError(.featureUnsupported)
            }
            self.port = port
        }

        deinit {
            // SIGKILL: the test process's children may inherit a blocked SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test func aCertificateNoAuthoritySignedIsRefusedInOneLine() throws {
        let server = try SelfSignedServer()
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            _ = try BuiltBinary.xj(["remote", "add", "origin", "https://127.0.0.1:\(server.port)/lab.git"], in: folder)
            let before = try snapshot(of: folder + "/.journal")
            for command in [["fetch"], ["pull"]] {
                let result = try BuiltBinary.xj(command, in: folder)
                #expect(result.status != 0)
                #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
                #expect(result.stderr.lowercased().contains("certificate"), "\(result.stderr)")
            }
            let clone = try BuiltBinary.xj(["clone", "https://127.0.0.1:\(server.port)/lab.git", folder + "/copy"], in: folder)
            #expect(clone.status != 0 && clone.stderr.lowercased().contains("certificate"), "\(clone.stderr)")
            #expect(try snapshot(of: folder + "/.journal") == before)
        }
    }
}
