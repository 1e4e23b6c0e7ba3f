import CGit2
import Foundation

// MARK: - Blobs, object lookup

extension GitRepository {
    /// Writes `data` as a blob (`git_blob_create_from_buffer`); writing the same bytes twice gives the same id.
    public func writeBlob(_ data: [UInt8]) throws -> BlobID {
        var oid = git_oid()
        let status = data.withUnsafeBytes { git_blob_create_from_buffer(&oid, pointer, $0.baseAddress, $0.count) }
        try Libgit2.check(status, "git_blob_create_from_buffer")
        return BlobID(ObjectID(oid))
    }

    /// The id `data` would have as a blob, without writing anything (`git_odb_hash`).
    public func hashBlob(_ data: [UInt8]) throws -> BlobID {
        var oid = git_oid()
        let status = data.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        try Libgit2.check(status, "git_odb_hash")
        return BlobID(ObjectID(oid))
    }

    /// Starts streaming a blob of `size` bytes into a stored loose object (see `LooseObjectWriter`).
    public func blobWriter(size: UInt64, source: String) throws -> LooseObjectWriter {
        try LooseObjectWriter(objectsDirectory: path + "/objects", temporaryDirectory: try privateDirectory("tmp"), size: size, sourceDescription: source)
    }

    /// The bytes of a blob, copied out of libgit2.
    public func blob(_ id: BlobID) throws -> [UInt8] {
        if let (kind, body) = directReads?.checkedRead(id.object) {
            guard kind == .blob else { throw StoreError.wrongObjectType(id: id.hex, expected: "blob", actual: kind.rawValue) }
            return body
        }
        let blob = try lookup(id.object, kind: .blob)
        let size = Int(git_blob_rawsize(blob.pointer))
        guard size > 0, let raw = git_blob_rawcontent(blob.pointer) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    /// Lends a blob's bytes as libgit2 holds them, without copying them into Swift (for large data).
    /// The buffer is valid only inside `body`.
    public func withBlob<T>(_ id: BlobID, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        let blob = try lookup(id.object, kind: .blob)
        let size = Int(git_blob_rawsize(blob.pointer))
        return try withExtendedLifetime(blob) {
            try body(UnsafeRawBufferPointer(start: git_blob_rawcontent(blob.pointer), count: size))
        }
    }

    /// Calls `body` with consecutive pieces of a blob's content: streamed from a loose object with flat
    /// memory and its hash checked at the end, or in one piece from libgit2 for a packed object.
    /// The pieces are valid only inside `body`.
    public func streamBlob(_ id: BlobID, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if try LooseObjectReader.stream(id.object, objectsDirectory: path + "/objects", body) { return }
        try withBlob(id, body)
    }

    /// The size in bytes of a blob, read from its header only where the backend allows (`git_odb_read_header`).
    public func blobSize(_ id: BlobID) throws -> UInt64 {
        var odb: OpaquePointer?
        try Libgit2.check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var size = 0
        var type = GIT_OBJECT_INVALID
        var oid = id.object.oid
        let status = git_odb_read_header(&size, &type, odb, &oid)
        if status == GIT_ENOTFOUND.rawValue { throw StoreError.objectNotFound(id.hex) }
        try Libgit2.check(status, "git_odb_read_header")
        return UInt64(size)
    }

    /// An object's kind and size, from its header where the backend allows (`git_odb_read_header`).
    func objectHeader(_ id: ObjectID) throws -> (ObjectKind, Int) {
        var odb: OpaquePointer?
        try Libgit2.check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var size = 0
        var type = GIT_OBJECT_INVALID
        var oid = id.oid
        let status = git_odb_read_header(&size, &type, odb, &oid)
        if status == GIT_ENOTFOUND.rawValue { throw StoreError.objectNotFound(id.hex) }
        try Libgit2.check(status, "git_odb_read_header")
        guard let kind = ObjectKind(type) else { throw StoreError.objectNotFound(id.hex) }
        return (kind, size)
    }

    /// Whether an object with this id is in the store (`git_odb_exists`).
    public func contains(_ id: ObjectID) throws -> Bool {
        var odb: OpaquePointer?
        try Libgit2.check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var oid = id.oid
        return git_odb_exists(odb, &oid) == 1
    }

    /// The kind of the object `id` (`git_object_lookup`).
    public func kind(of id: ObjectID) throws -> ObjectKind {
        if let kind = directReads?.kind(of: id) { return kind }
        let object = try lookup(id, kind: nil)
        guard let kind = ObjectKind(git_object_type(object.pointer)) else {
            throw StoreError.objectNotFound(id.hex)
        }
        return kind
    }

    /// The object whose id starts with `prefix` (4 to 40 hex digits), with its kind (`git_object_lookup_prefix`).
    public func resolvePrefix(_ prefix: String) throws -> (ObjectID, ObjectKind)? {
        guard (4...40).contains(prefix.count), prefix.allSatisfy(\.isHexDigit) else { return nil }
        var padded = git_oid()
        let hex = prefix.lowercased() + String(repeating: "0", count: 40 - prefix.count)
        try Libgit2.check(git_oid_fromstr(&padded, hex), "git_oid_fromstr")
        var object: OpaquePointer?
        let status = git_object_lookup_prefix(&object, pointer, &padded, prefix.count, GIT_OBJECT_ANY)
        if status == GIT_ENOTFOUND.rawValue { return nil }
        if status == GIT_EAMBIGUOUS.rawValue { throw StoreError.ambiguousPrefix(prefix) }
        try Libgit2.check(status, "git_object_lookup_prefix")
        defer { git_object_free(object) }
        guard let kind = ObjectKind(git_object_type(object)) else { return nil }
        return (ObjectID(git_object_id(object).pointee), kind)
    }

    /// Looks an object up, checking its kind when one is given.
    func lookup(_ id: ObjectID, kind: ObjectKind?) throws -> Managed {
        var object: OpaquePointer?
        var oid = id.oid
        let status = git_object_lookup(&object, pointer, &oid, GIT_OBJECT_ANY)
        if status == GIT_ENOTFOUND.rawValue { throw StoreError.objectNotFound(id.hex) }
        try Libgit2.check(status, "git_object_lookup")
        let managed = Managed(object!, free: git_object_free)
        if let kind {
            let actual = git_object_type(object)
            guard actual == kind.gitType else {
                throw StoreError.wrongObjectType(id: id.hex, expected: kind.rawValue, actual: ObjectKind(actual)?.rawValue ?? "unknown object")
            }
        }
        return managed
    }
}

// MARK: - Verification

extension GitRepository {
    /// Reads an object in full, which makes libgit2 inflate it and check that its content hashes
    /// to its id (`git_odb_read`, strict hash verification is on by default).
    /// - Returns: its kind and size. - Throws: `StoreError` when it is missing or corrupt.
    public func verify(_ id: ObjectID) throws -> (ObjectKind, UInt64) {
        try readThroughLibgit2(id) { kind, object in (kind, UInt64(git_odb_object_size(object))) }
    }

    /// Reads an object through libgit2's object database (`git_odb_read`, hash checked) and lends it
    /// with its kind to `body`. - Throws: `StoreError` when it is missing or corrupt.
    func readThroughLibgit2<T>(_ id: ObjectID, _ body: (ObjectKind, OpaquePointer) throws -> T) throws -> T {
        var odb: OpaquePointer?
        try Libgit2.check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var object: OpaquePointer?
        var oid = id.oid
        let status = git_odb_read(&object, odb, &oid)
        if status == GIT_ENOTFOUND.rawValue { throw StoreError.objectNotFound(id.hex) }
        try Libgit2.check(status, "git_odb_read")
        defer { git_odb_object_free(object) }
        guard let object, let kind = ObjectKind(git_odb_object_type(object)) else { throw StoreError.objectNotFound(id.hex) }
        return try body(kind, object)
    }
}
