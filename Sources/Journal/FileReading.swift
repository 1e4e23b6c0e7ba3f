import Foundation

/// Reading user files with errors that name the file.
enum FileReading {
    /// The whole file. - Throws: `JournalError.unreadable` naming the path.
    static func contents(of path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw JournalError.unreadable(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw JournalError.unreadable(path: path, reason: "is a folder, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JournalError.unreadable(path: path, reason: "cannot be read")
        }
        return [UInt8](data)
    }
}
