import Foundation
import Journal

/// A temporary folder, deleted when the body returns.
public func withScratchDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xj-test-" + UUID().uuidString).path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try body(folder)
}

/// A new journal in a temporary folder, deleted when the body returns.
public func withScratchJournal<T>(_ body: (LabJournal, String) throws -> T) throws -> T {
    try withScratchDirectory { folder in
        let journal = try LabJournal.create(in: folder)
        return try body(journal, folder)
    }
}

/// Writes `text` to `name` in `folder` and returns the path.
@discardableResult
public func writeFile(_ folder: String, _ name: String, _ text: String) throws -> String {
    try writeFile(folder, name, Array(text.utf8))
}

@discardableResult
public func writeFile(_ folder: String, _ name: String, _ bytes: [UInt8]) throws -> String {
    let path = (folder as NSString).appendingPathComponent(name)
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
        throw CocoaError(.fileWriteUnknown)
    }
    return path
}

/// Every file below a folder with its bytes: compare two snapshots to prove nothing changed.
/// The run index (`xj/runindex`) and the summary cache (`xj/summaries`) are left out: they are
/// derived caches that any command may refresh.
public func snapshot(of folder: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: folder)
    while let relative = enumerator?.nextObject() as? String {
        if relative.hasSuffix("xj/runindex") || relative.hasSuffix("xj/runindex.delta") || relative.hasSuffix("xj/summaries") { continue }
        let path = (folder as NSString).appendingPathComponent(relative)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[relative] = FileManager.default.contents(atPath: path) ?? Data()
        }
    }
    return files
}

/// `xj init`, then the bundled digits added as `digits` (label `target`) and committed: where most
/// command-line tests start.
public func makeDigitsJournal(in folder: String) throws {
    _ = try BuiltBinary.xj(["init"], in: folder)
    _ = try BuiltBinary.xj(["add", Fixtures.digitsPath, "--name", "digits", "--label", "target"], in: folder)
    _ = try BuiltBinary.xj(["commit", "-m", "data"], in: folder)
}

/// Adds `small`: `rows` rows of two integer features and a binary label `y`, on which a one-epoch
/// linear run takes milliseconds.
public func addSmallDataset(_ journal: LabJournal, folder: String, rows: Int) throws {
    var text = "a,b,y\n"
    for row in 0..<rows { text += "\(row % 7),\((row * 5) % 11),\(row % 2)\n" }
    _ = try journal.addDataset(file: try writeFile(folder, "small.csv", text), name: "small", label: "y")
}
