import CGit2
import Foundation

// MARK: - Clone over git:// with xj's own upload-pack client and pack indexer

extension GitRepository {
    /// Clones a `git://host[:port]/path` remote into a new bare repository at `path`, as `clone` does
    /// through libgit2 (branches as `refs/remotes/origin/*`, `origin` configured, HEAD on the remote's
    /// default branch), but with xj's own upload-pack client and indexer (`IncomingPackIndexer`),
    /// which keeps the small objects it inflated so the check of what arrived need not inflate them
    /// again (`inflatedObjects`).
    /// - Returns: nil, having written nothing, when the server lacks side-band-64k (libgit2 then clones).
    /// - Throws: `StoreError.network` for a connection, protocol or pack failure; nothing is left at `path`.
    static func cloneOverGitProtocol(_ url: String, to path: String, progress: ((TransferProgress) -> Void)?) throws -> GitRepository? {
        guard let (host, port, repositoryPath) = parseGitURL(url) else {
            throw StoreError.network(url: url, problem: "not a git://host[:port]/path URL")
        }
        let connection = try PacketLineConnection(host: host, port: port, url: url)
        let hostField = port == 9418 ? host : "\(host):\(port)"
        connection.send(Array("git-upload-pack \(repositoryPath)\0host=\(hostField)\0".utf8))
        try connection.flushOutput()
        let (advertised, _, capabilities) = try readAdvertisement(connection)
        guard capabilities.contains("side-band-64k") else { return nil }
        let branches = advertised.filter { $0.key.hasPrefix("refs/heads/") }
        for name in branches.keys where !isValidReferenceName(name) {
            throw StoreError.network(url: url, problem: "the server advertised a branch named \(PacketLineConnection.printable(name.utf8, limit: 100).debugDescription), which is not a valid ref name")
        }
        let head = defaultBranch(advertised: advertised, branches: branches, capabilities: capabilities)

        let repository = try create(at: path, initialBranch: String(head.dropFirst("refs/heads/".count)))
        do {
            try repository.addRemote("origin", url: url)
            let wants = Set(branches.values).sorted()
            if wants.isEmpty {
                connection.sendFlush()
                try connection.flushOutput()
                return repository
            }
            var requested = ["side-band-64k", "no-progress", "agent=xj/1"]
            if capabilities.contains("ofs-delta") { requested.insert("ofs-delta", at: 1) }
            for (position, id) in wants.enumerated() {
                connection.send(Array(("want \(id.hex)" + (position == 0 ? " " + requested.joined(separator: " ") : "") + "\n").utf8))
            }
            connection.sendFlush()
            connection.send(Array("done\n".utf8))
            try connection.flushOutput()
            let packPath = try receivePack(connection, into: repository.path + "/objects/pack", progress: progress)
            try repository.installPack(at: packPath, source: url, progress: progress)
            for (name, target) in branches {
                try repository.updateReference("refs/remotes/origin/" + name.dropFirst("refs/heads/".count), to: target, expecting: nil, message: "clone: from \(url)")
            }
            return repository
        } catch {
            try? FileManager.default.removeItem(atPath: repository.path)
            throw error
        }
    }

    /// The branch a clone's HEAD names: the one the server's HEAD points at (its `symref` capability,
    /// or else the branch whose commit HEAD is, main first), else `refs/heads/main`.
    private static func defaultBranch(advertised: [String: ObjectID], branches: [String: ObjectID], capabilities: Set<String>) -> String {
        if let symref = capabilities.first(where: { $0.hasPrefix("symref=HEAD:") }) {
            let target = String(symref.dropFirst("symref=HEAD:".count))
            if branches[target] != nil { return target }
        }
        if let head = advertised["HEAD"] {
            let matching = branches.filter { $0.value == head }.keys.sorted()
            if let name = matching.first(where: { $0 == "refs/heads/main" }) ?? matching.first(where: { $0 == "refs/heads/master" }) ?? matching.first {
                return name
            }
        }
        return "refs/heads/main"
    }

    /// Reads upload-pack's answer (`NAK`, then the pack in side-band 1, its errors in band 3) into a
    /// temporary file in `folder`. - Returns: the file's path.
    private static func receivePack(_ connection: PacketLineConnection, into folder: String, progress: ((TransferProgress) -> Void)?) throws -> String {
        let url = connection.url
        guard case let .data(answer) = try connection.receive() else {
            throw StoreError.network(url: url, problem: "the server ended the exchange before sending the pack")
        }
        let line = answer.last == 0x0a ? answer.dropLast() : answer[...]
        if line.starts(with: "ERR ".utf8) {
            throw StoreError.network(url: url, problem: "the server refused: \(PacketLineConnection.printable(line.dropFirst(4)))")
        }
        guard line.elementsEqual("NAK".utf8) else {
            throw StoreError.network(url: url, problem: "expected NAK, the server sent \(PacketLineConnection.printable(line, limit: 100).debugDescription)")
        }
        let packPath = folder + "/tmp_pack_xj_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = Glibc.open(packPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
        guard descriptor >= 0 else { throw StoreError.io(path: packPath, reason: "cannot create: \(String(cString: strerror(errno)))") }
        var closed = false
        defer { if !closed { close(descriptor) } }
        do {
            var received = 0, objects = 0
            var header: [UInt8] = []
            while case let .data(payload) = try connection.receive() {
                guard let band = payload.first else { continue }
                switch band {
                case 1:
                    try payload.withUnsafeBytes { bytes in
                        var written = 1
                        while written < bytes.count {
                            let count = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                            if count < 0, errno == EINTR { continue }
                            guard count > 0 else { throw StoreError.io(path: packPath, reason: "cannot write: \(String(cString: strerror(errno)))") }
                            written += count
                        }
                    }
                    received += payload.count - 1
                    if header.count < 12 {
                        header += payload.dropFirst().prefix(12 - header.count)
                        if header.count == 12 { objects = header[8..<12].reduce(0) { $0 << 8 | Int($1) } }
                    }
                    progress?(TransferProgress(objects: 0, totalObjects: objects, bytes: received))
                case 2:
                    continue
                case 3:
                    throw StoreError.network(url: url, problem: "the server failed: \(PacketLineConnection.printable(payload.dropFirst()))")
                default:
                    throw StoreError.network(url: url, problem: "the server sent side-band \(band), which git does not define")
                }
            }
            closed = true
            guard close(descriptor) == 0 else { throw StoreError.io(path: packPath, reason: "cannot write: \(String(cString: strerror(errno)))") }
        } catch {
            unlink(packPath)
            throw error
        }
        return packPath
    }

    /// Indexes the received pack at `packPath` and moves it into `objects/pack` under its checksum's
    /// name, index last, so a reader sees either no pack or a whole one. A pack holding an object
    /// over `IncomingPackIndexer.largestObject` bytes goes through libgit2's indexer instead.
    private func installPack(at packPath: String, source: String, progress: ((TransferProgress) -> Void)?) throws {
        defer { unlink(packPath) }
        let descriptor = Glibc.open(packPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError.io(path: packPath, reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw StoreError.io(path: packPath, reason: "cannot read") }
        let size = Int(status.st_size)
        guard size >= 32 else { throw StoreError.network(url: source, problem: "the pack it sent is damaged: it is \(size) bytes long") }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
            throw StoreError.io(path: packPath, reason: "cannot map: \(String(cString: strerror(errno)))")
        }
        defer { munmap(base, size) }
        let pack = UnsafeRawBufferPointer(start: base, count: size)
        let indexer = IncomingPackIndexer(pack: pack, source: source)
        guard let result = try indexer.index(progress: { done, total in progress?(TransferProgress(objects: done, totalObjects: total, bytes: size)) }) else {
            try indexWithLibgit2(pack, source: source)
            return
        }
        let folder = path + "/objects/pack"
        let stem = folder + "/pack-" + ObjectID(bytes: result.checksum).hex
        guard rename(packPath, stem + ".pack") == 0 else { throw StoreError.io(path: stem + ".pack", reason: "cannot move the pack into place: \(String(cString: strerror(errno)))") }
        let index = PackIndexWriter.bytes(of: result.entries, packChecksum: result.checksum)
        let temporary = folder + "/tmp_idx_xj_\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(index), attributes: [.posixPermissions: 0o444]),
              rename(temporary, stem + ".idx") == 0 else {
            unlink(temporary)
            throw StoreError.io(path: stem + ".idx", reason: "cannot write the pack's index")
        }
        inflatedObjects = result.objects
    }

    /// Hands a received pack to libgit2's indexer, which checks every object and writes the pack and
    /// its index into `objects/pack`.
    private func indexWithLibgit2(_ pack: UnsafeRawBufferPointer, source: String) throws {
        var options = git_indexer_options()
        try Libgit2.check(git_indexer_options_init(&options, UInt32(GIT_INDEXER_OPTIONS_VERSION)), "git_indexer_options_init")
        var indexer: OpaquePointer?
        try Libgit2.check(git_indexer_new(&indexer, path + "/objects/pack", 0, nil, &options), "git_indexer_new")
        defer { git_indexer_free(indexer) }
        var stats = git_indexer_progress()
        var offset = 0
        while offset < pack.count {
            let count = min(1 << 20, pack.count - offset)
            let status = git_indexer_append(indexer, pack.baseAddress! + offset, count, &stats)
            if status < 0 { throw StoreError.network(url: source, problem: "the pack it sent is damaged: \(Libgit2.lastErrorMessage())") }
            offset += count
        }
        let status = git_indexer_commit(indexer, &stats)
        if status < 0 { throw StoreError.network(url: source, problem: "the pack it sent is damaged: \(Libgit2.lastErrorMessage())") }
    }
}
