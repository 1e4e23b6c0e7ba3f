import Foundation
import Journal

/// The derived files `.journal/xj/tables/<scope>`: one `TableProfile` per scope `xj runs` lists (a
/// line, or every line). Rebuildable from the summaries at any time; a file that is missing, from
/// another version of xj, or fails its checksum is made anew. Writing is best effort (a read-only
/// journal still lists) and goes through a temporary file and a rename, so readers see a whole file.
///
/// Format: a line `xj-table-profile 1 <xj version>`, the FNV-1a-64 checksum (u64, little-endian) of
/// everything after it, the profile as JSON behind its length (u32), then the count (u32) and the
/// covered ids' first 8 bytes (u64 each), ascending.
struct TableProfileStore {
    let journal: LabJournal
    /// `line main`, or `every line`.
    let scope: String

    private var header: [UInt8] { Array("xj-table-profile 1 \(XJVersion.current)\n".utf8) }
    private var folder: String { journal.path + "/xj/tables" }
    private var path: String { folder + "/" + String(Array(scope.utf8).withUnsafeBytes(ExperimentSummaryCache.fnv), radix: 16) }

    /// The profile of these entries' experiments: the stored one when it covers exactly them,
    /// brought up to date from the new experiments alone when the scope only gained some, otherwise
    /// made from every summary. Experiments whose summary cannot be had are left out (and stay
    /// uncovered, so they are tried again next time).
    func profile(of entries: [RunIndexEntry], cache: ExperimentSummaryCache) -> TableProfile {
        let prefixes = entries.map(\.experiment.leadingWord)
        let stored = load()
        if let stored, stored.covered.count == prefixes.count, Self.fingerprint(stored.covered) == Self.fingerprint(prefixes) {
            return stored
        }
        let ascending = prefixes.sorted()
        var profile = TableProfile()
        var wanted = entries.map(\.experiment)
        if let stored, let added = Self.added(to: stored.covered, in: ascending) {
            profile = stored
            let new = Set(added)
            wanted = wanted.filter { new.contains($0.leadingWord) }
        }
        var newlyCovered: [UInt64] = []
        for (id, summary) in zip(wanted, cache.summaryList(of: wanted)) {
            guard let summary else { continue }
            profile.add(summary)
            newlyCovered.append(id.leadingWord)
        }
        profile.covered = Self.merged(profile.covered, newlyCovered.sorted())
        save(profile)
        return profile
    }

    /// Count, sum and exclusive-or of the prefixes: equal for the same set (ids are uniformly random).
    static func fingerprint(_ prefixes: [UInt64]) -> [UInt64] {
        var sum: UInt64 = 0, exclusive: UInt64 = 0
        for prefix in prefixes {
            sum &+= prefix
            exclusive ^= prefix
        }
        return [UInt64(prefixes.count), sum, exclusive]
    }

    /// The prefixes of `current` that `covered` lacks, when `covered` holds none that `current` lacks;
    /// nil when the scope lost experiments. Both ascending.
    static func added(to covered: [UInt64], in current: [UInt64]) -> [UInt64]? {
        var added: [UInt64] = []
        var position = 0
        for prefix in current {
            if position < covered.count && covered[position] < prefix { return nil }
            if position < covered.count && covered[position] == prefix { position += 1 } else { added.append(prefix) }
        }
        return position == covered.count ? added : nil
    }

    static func merged(_ left: [UInt64], _ right: [UInt64]) -> [UInt64] {
        var result: [UInt64] = []
        result.reserveCapacity(left.count + right.count)
        var i = 0, j = 0
        while i < left.count || j < right.count {
            if j == right.count || (i < left.count && left[i] <= right[j]) { result.append(left[i]); i += 1 } else { result.append(right[j]); j += 1 }
        }
        return result
    }

    /// The stored profile, or nil when there is none that checks out.
    func load() -> TableProfile? {
        guard let bytes = try? Data(contentsOf: URL(fileURLWithPath: path)), bytes.count > header.count + 16 else { return nil }
        return [UInt8](bytes).withUnsafeBytes { buffer -> TableProfile? in
            guard buffer.starts(with: header) else { return nil }
            var offset = header.count
            func read<T: FixedWidthInteger>(_: T.Type) -> T? {
                guard offset + MemoryLayout<T>.size <= buffer.count else { return nil }
                defer { offset += MemoryLayout<T>.size }
                return T(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
            }
            guard let checksum = read(UInt64.self), checksum == ExperimentSummaryCache.fnv(UnsafeRawBufferPointer(rebasing: buffer[offset...])),
                  let length = read(UInt32.self), offset + Int(length) <= buffer.count else { return nil }
            let json = Array(buffer[offset..<(offset + Int(length))])
            offset += Int(length)
            guard var profile = try? Self.decode(JSONParser.parse(json, source: path)), let count = read(UInt32.self),
                  offset + Int(count) * 8 == buffer.count else { return nil }
            profile.covered = [UInt64](unsafeUninitializedCapacity: Int(count)) { covered, initialized in
                for position in 0..<Int(count) {
                    covered[position] = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + position * 8, as: UInt64.self))
                }
                initialized = Int(count)
            }
            return profile.covered.count == profile.rows ? profile : nil
        }
    }

    /// Writes the profile (best effort).
    func save(_ profile: TableProfile) {
        var body: [UInt8] = []
        let json = CanonicalJSON.bytes(Self.encode(profile))
        Self.append(UInt32(json.count), to: &body)
        body += json
        Self.append(UInt32(profile.covered.count), to: &body)
        body.reserveCapacity(body.count + profile.covered.count * 8)
        for prefix in profile.covered { Self.append(prefix, to: &body) }
        var file = header
        Self.append(body.withUnsafeBytes(ExperimentSummaryCache.fnv), to: &file)
        file += body
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil else { return }
        DerivedFile.replace(path, with: file, temporaryFolder: folder)
    }

    /// Removes the stored profile, so the next listing makes it anew.
    func discard() {
        unlink(path)
    }

    static func encode(_ profile: TableProfile) -> JSONValue {
        .object([
            "rows": .number(Double(profile.rows)),
            "parameters": .object(profile.parameters.mapValues { parameter in
                .object(["first": parameter.first, "varies": .bool(parameter.varies),
                         "present": .number(Double(parameter.present)), "width": .number(Double(parameter.width))])
            }),
            "metrics": .object(profile.metrics.mapValues { metric in
                .object(["present": .number(Double(metric.present)), "width": .number(Double(metric.width))])
            }),
            "datasets": .array(profile.datasets.map(\.hex).sorted().map(JSONValue.string)),
            "model_width": .number(Double(profile.modelWidth)),
            "status_width": .number(Double(profile.statusWidth)),
            "checks_width": .number(Double(profile.checksWidth)),
        ])
    }

    /// The widest column a stored profile may claim.
    static let maximumWidth = 4_096

    static func decode(_ value: JSONValue) -> TableProfile? {
        guard let members = value.objectValue else { return nil }
        func count(_ value: JSONValue?) -> Int? {
            guard let number = value?.numberValue, number >= 0, number <= 1e12, number.rounded() == number else { return nil }
            return Int(number)
        }
        // A column is padded to its width on every row: a damaged file must not ask for megabytes of
        // spaces per line. A real cell this wide makes the profile be rebuilt at each listing instead.
        func bounded(_ value: JSONValue?) -> Int? { count(value).flatMap { $0 <= maximumWidth ? $0 : nil } }
        var profile = TableProfile()
        guard let rows = count(members["rows"]), let parameters = members["parameters"]?.objectValue,
              let metrics = members["metrics"]?.objectValue, let datasets = members["datasets"]?.arrayValue,
              let model = bounded(members["model_width"]), let status = bounded(members["status_width"]),
              let checks = bounded(members["checks_width"]) else { return nil }
        profile.rows = rows
        profile.modelWidth = model
        profile.statusWidth = status
        profile.checksWidth = checks
        for (name, value) in parameters {
            guard let fields = value.objectValue, let first = fields["first"], let varies = fields["varies"]?.boolValue,
                  let present = count(fields["present"]), let width = bounded(fields["width"]) else { return nil }
            profile.parameters[name] = TableProfile.Parameter(first: first, varies: varies, present: present, width: width)
        }
        for (name, value) in metrics {
            guard let fields = value.objectValue, let present = count(fields["present"]), let width = bounded(fields["width"]) else { return nil }
            profile.metrics[name] = TableProfile.Metric(present: present, width: width)
        }
        for dataset in datasets {
            guard let id = dataset.stringValue.flatMap(ObjectID.init(hex:)) else { return nil }
            profile.datasets.insert(id)
        }
        return profile
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
