import Foundation

/// The result of running the built `xj`.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs the `xj` executable that `swift build` put next to the test bundle.
public enum BuiltBinary {
    /// The path of the built `xj`.
    public static var xjPath: String {
        var candidates: [URL] = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        candidates += candidates.map { $0.deletingLastPathComponent() }
        for folder in candidates {
            let path = folder.appendingPathComponent("xj").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        fatalError("the built xj was not found next to the tests (\(candidates.map(\.path)))")
    }

    /// Runs `xj` with `arguments` in `directory` and waits for it.
    @discardableResult
    public static func xj(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> ProcessResult {
        try run(xjPath, arguments, in: directory, environment: environment)
    }

    /// Runs any program and waits for it, collecting stdout and stderr.
    public static func run(_ program: String, _ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "XJ_DIR")
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        let errors = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errors.data = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errors.data, as: UTF8.self))
    }

    /// Runs the system `git`.
    @discardableResult
    public static func git(_ arguments: [String], in directory: String) throws -> ProcessResult {
        try run("/usr/bin/git", arguments, in: directory)
    }
}

/// Holds what a reader thread collected until the caller joins it.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
