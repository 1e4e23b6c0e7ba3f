import CGit2
import Foundation

// MARK: - Push over git:// with a pack of reused entries

extension GitRepository {
    /// What a push over git:// did: the refs the server refused (with its reason), and the leased refs
    /// whose advertised value differed from the lease (the push then sent nothing).
    struct GitProtocolPushResult {
        var rejected: [(String, String)] = []
        var leaseBroken: [String] = []
    }

    /// Pushes `updates` to a `git://host[:port]/path` remote through its receive-pack, sending a pack
    /// written by `OutgoingPackWriter` (packed entries copied as they are). The server compares each
    /// ref's old value, which is sent with the command, under its ref lock, so a push that races
    /// another is refused rather than lost.
    /// - Throws: `StoreError.remoteAhead` when a non-forced update would drop the remote's commits;
    ///   `StoreError.network` for a connection or protocol failure.
    func pushOverGitProtocol(url: String, updates: [ReferencePushUpdate],
                             progress: ((TransferProgress) -> Void)?) throws -> GitProtocolPushResult {
        guard let (host, port, repositoryPath) = Self.parseGitURL(url) else {
            throw StoreError.network(url: url, problem: "not a git://host[:port]/path URL")
        }
        let connection = try PacketLineConnection(host: host, port: port, url: url)
        let hostField = port == 9418 ? host : "\(host):\(port)"
        connection.send(Array("git-receive-pack \(repositoryPath)\0host=\(hostField)\0".utf8))
        try connection.flushOutput()
        let (advertised, alternates, capabilities) = try Self.readAdvertisement(connection)

        var result = GitProtocolPushResult()
        var commands: [(old: ObjectID?, new: ObjectID?, name: String)] = []
        for update in updates {
            let old = advertised[update.name]
            if let expected = update.expected, expected != old { result.leaseBroken.append(update.name); continue }
            if let target = update.target, let old, old != target, !update.force {
                guard try contains(old), try isAncestor(old, of: target) else { throw StoreError.remoteAhead(reference: update.name) }
            }
            if update.target == old { continue }
            if update.target == nil, old == nil { continue }
            if update.target == nil, !capabilities.contains("delete-refs") {
                throw StoreError.network(url: url, problem: "the server does not accept deleting refs (no delete-refs capability)")
            }
            commands.append((old, update.target, update.name))
        }
        guard result.leaseBroken.isEmpty, !commands.isEmpty else {
            connection.sendFlush()
            try connection.flushOutput()
            return result
        }
        let zero = String(repeating: "0", count: 40)
        var requested = ["report-status", "agent=xj/1"]
        if commands.count > 1, capabilities.contains("atomic") { requested.insert("atomic", at: 1) }
        for (position, command) in commands.enumerated() {
            var line = "\(command.old?.hex ?? zero) \(command.new?.hex ?? zero) \(command.name)"
            if position == 0 { line += "\0" + requested.joined(separator: " ") }
            connection.send(Array((line + "\n").utf8))
        }
        connection.sendFlush()
        let targets = commands.compactMap(\.new)
        if !targets.isEmpty {
            let store = PackedObjectStore(objectsDirectory: path + "/objects")
            let objects = try outgoingObjects(tips: targets, known: Array(Set(advertised.values).union(alternates)), store: store)
            let writer = OutgoingPackWriter(repository: self, store: store, offsetDeltas: capabilities.contains("ofs-delta"))
            try writer.write(objects, to: { try connection.sendRaw($0) }) { done, total, bytes in
                progress?(TransferProgress(objects: done, totalObjects: total, bytes: bytes))
            }
        }
        try connection.flushOutput()
        guard capabilities.contains("report-status") else { return result }
        var unpacked = false
        while case let .data(payload) = try connection.receive() {
            let line = PacketLineConnection.printable(payload.last == 0x0a ? payload.dropLast() : payload[...], limit: 1000)
            if line.hasPrefix("unpack ") {
                guard line == "unpack ok" else { throw StoreError.network(url: url, problem: "the server could not store the pack: \(line.dropFirst(7))") }
                unpacked = true
            } else if line.hasPrefix("ng ") {
                let rest = line.dropFirst(3)
                let name = rest.prefix { $0 != " " }
                result.rejected.append((String(name), String(rest.dropFirst(name.count).drop { $0 == " " })))
            } else if !line.hasPrefix("ok ") {
                throw StoreError.network(url: url, problem: "unexpected status line \(String(line.prefix(100)).debugDescription)")
            }
        }
        guard unpacked else { throw StoreError.network(url: url, problem: "the server did not report on the pack") }
        return result
    }

    /// `git://host[:port]/path` as its parts (`[::1]` for an IPv6 host); nil for anything else.
    static func parseGitURL(_ url: String) -> (String, Int, String)? {
        guard url.hasPrefix("git://") else { return nil }
        let rest = url.dropFirst("git://".count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let authority = rest[..<slash]
        let path = String(rest[slash...])
        guard path.count > 1, !path.contains("\0"), !path.contains("\n") else { return nil }
        var host = String(authority), port = 9418
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { guard let value = Int(after.dropFirst()) else { return nil }; port = value } else if !after.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let value = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = value
        }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        return (host, port, path)
    }

    /// Reads receive-pack's ref advertisement: each ref's value, and the capabilities after the first
    /// line's NUL, and the `.have` lines (tips of the server's alternates, which it has too). An empty
    /// repository advertises `capabilities^{}` with the zero id.
    static func readAdvertisement(_ connection: PacketLineConnection) throws -> ([String: ObjectID], [ObjectID], Set<String>) {
        var references: [String: ObjectID] = [:]
        var alternates: [ObjectID] = []
        var capabilities = Set<String>()
        var first = true
        var lines = 0, bytes = 0
        while case let .data(payload) = try connection.receive() {
            lines += 1
            bytes += payload.count
            guard lines <= 1_000_000, bytes <= 64 << 20 else {
                throw StoreError.network(url: connection.url, problem: "the server advertised more than a million refs or 64 MiB of them")
            }
            var line = payload
            if line.last == 0x0a { line.removeLast() }
            if line.starts(with: "ERR ".utf8) {
                throw StoreError.network(url: connection.url, problem: "the server refused: \(PacketLineConnection.printable(line.dropFirst(4)))")
            }
            if first, let nul = line.firstIndex(of: 0) {
                capabilities = Set(String(decoding: line[(nul + 1)...], as: UTF8.self).split(separator: " ").map(String.init))
                line = Array(line[..<nul])
            }
            first = false
            guard line.count > 41, line[40] == 0x20, let id = ObjectID(hex: String(decoding: line[0..<40], as: UTF8.self)) else {
                throw StoreError.network(url: connection.url, problem: "malformed ref advertisement line \(PacketLineConnection.printable(line, limit: 100).debugDescription)")
            }
            let name = String(decoding: line[41...], as: UTF8.self)
            if name == "capabilities^{}" || id.isZero { continue }
            if name == ".have" { alternates.append(id) } else { references[name] = id }
        }
        return (references, alternates, capabilities)
    }
}
