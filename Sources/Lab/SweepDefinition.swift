import Foundation
import Journal

/// A cluster sweep as submitted: what the tasks run and where they push. Kept in
/// `.journal/xj/sweeps/<name>.json` of the journal that submitted it (not in git: job ids mean
/// nothing elsewhere), so `xj sweep status` and `xj gather` know it.
public struct SweepDefinition: Sendable, Equatable {
    public var name: String
    /// The local remote's name and the URL the tasks clone and push to.
    public var remote: String
    public var url: String
    public var line: String
    public var tasks: Int
    /// The grid's arguments, after `grid`.
    public var gridArguments: [String]
    public var points: Int
    /// Every Slurm job submitted for this sweep, oldest first.
    public var jobs: [String]

    public init(name: String, remote: String, url: String, line: String, tasks: Int, gridArguments: [String], points: Int, jobs: [String] = []) {
        self.name = name
        self.remote = remote
        self.url = url
        self.line = line
        self.tasks = tasks
        self.gridArguments = gridArguments
        self.points = points
        self.jobs = jobs
    }

    /// The name a sweep gets when none is given: the same line, remote URL and grid give the same
    /// name, so submitting the same sweep again resumes it (FNV-1a, 48 bits, as 12 hex digits).
    public static func derivedName(line: String, url: String, gridArguments: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ([line, url] + gridArguments).joined(separator: "\u{0}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash >> 16, radix: 16)
        return "s" + String(repeating: "0", count: 12 - hex.count) + hex
    }

    public var json: JSONValue {
        .object(["name": .string(name), "remote": .string(remote), "url": .string(url), "line": .string(line),
                 "tasks": .number(Double(tasks)), "grid": .array(gridArguments.map(JSONValue.string)),
                 "points": .number(Double(points)), "jobs": .array(jobs.map(JSONValue.string))])
    }

    public init(json: JSONValue, source: String) throws {
        func string(_ key: String) throws -> String {
            guard let value = json[key]?.stringValue else { throw JournalError.malformedRecord(path: source, message: "`\(key)` is missing or not a string") }
            return value
        }
        func strings(_ key: String) throws -> [String] {
            guard let values = json[key]?.arrayValue?.compactMap(\.stringValue) else { throw JournalError.malformedRecord(path: source, message: "`\(key)` is missing or not a list") }
            return values
        }
        guard let tasks = json["tasks"]?.numberValue, tasks >= 1, let points = json["points"]?.numberValue else {
            throw JournalError.malformedRecord(path: source, message: "`tasks` or `points` is missing")
        }
        self.init(name: try string("name"), remote: try string("remote"), url: try string("url"), line: try string("line"), tasks: Int(tasks),
                  gridArguments: try strings("grid"), points: Int(points), jobs: try strings("jobs"))
    }

    // MARK: - Kept in the journal's private folder

    static func folder(_ journal: LabJournal) throws -> String { try journal.repository.privateDirectory("sweeps") }

    public func save(in journal: LabJournal) throws {
        let path = try Self.folder(journal) + "/" + name + ".json"
        let temporary = path + ".tmp\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data((CanonicalJSON.pretty(json) + "\n").utf8)) else {
            throw JournalError.unreadable(path: temporary, reason: "cannot write")
        }
        guard rename(temporary, path) == 0 else { throw JournalError.unreadable(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Every sweep this journal submitted, newest (last modified) first.
    public static func all(in journal: LabJournal) throws -> [SweepDefinition] {
        // Reading creates nothing: a journal that never submitted has no sweeps folder.
        let folder = journal.repository.path + "/xj/sweeps"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var found: [(Date, SweepDefinition)] = []
        for name in names where name.hasSuffix(".json") {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let definition = try SweepDefinition(json: try JSONParser.parse(Array(data), source: path), source: path)
            let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
            found.append((modified ?? .distantPast, definition))
        }
        return found.sorted { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1.name < $1.1.name) }.map(\.1)
    }

    /// The sweep named `name`, or whose jobs include `name` (a Slurm job id); the newest when nil.
    public static func find(_ name: String?, in journal: LabJournal) throws -> SweepDefinition {
        let known = try all(in: journal)
        guard let name else {
            guard let newest = known.first else { throw LabError.invalidData("this journal has submitted no sweep (xj sweep submit)") }
            return newest
        }
        if let found = known.first(where: { $0.name == name || $0.jobs.contains(name) }) { return found }
        throw JournalError.unknownNamed(kind: "sweep or job", name: name, hint: RecordNames.suggestion(for: name, among: known.map(\.name)))
    }
}
