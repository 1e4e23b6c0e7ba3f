import CZlib

/// Inflates zlib streams whose inflated size is known (pack entries), reusing one zlib state
/// (`inflateReset`) instead of allocating one per object. Confined to one thread, like its owner.
final class ZlibInflater {
    private var stream = z_stream()
    private let ready: Bool

    init() {
        ready = inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit { if ready { inflateEnd(&stream) } }

    /// Inflates `compressed` into exactly `size` bytes; nil when the stream is corrupt, ends early, or
    /// would produce more than `size` bytes.
    func exactly(_ size: Int, from compressed: UnsafeRawBufferPointer) -> [UInt8]? {
        prefix(size, of: compressed)?.bytes
    }

    /// Inflates the zlib stream at the start of `compressed` (which may go on past it, as a pack's
    /// entries do) into exactly `size` bytes.
    /// - Returns: the bytes and how many bytes of `compressed` the stream took; nil when the stream is
    ///   corrupt, does not end within `compressed`, or would produce more or fewer than `size` bytes.
    func prefix(_ size: Int, of compressed: UnsafeRawBufferPointer) -> (bytes: [UInt8], consumed: Int)? {
        guard ready, inflateReset(&stream) == Z_OK else { return nil }
        var status: Int32 = Z_OK
        var produced = 0
        let available = min(compressed.count, Int(UInt32.max))
        // One spare byte: a stream that would write past `size` fills it and is refused.
        let output = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            stream.next_in = UnsafeMutablePointer(mutating: compressed.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(available)
            stream.next_out = buffer.baseAddress
            stream.avail_out = uInt(buffer.count)
            status = inflate(&stream, Z_FINISH)
            produced = buffer.count - Int(stream.avail_out)
            count = produced
        }
        guard status == Z_STREAM_END, produced == size else { return nil }
        return (output, available - Int(stream.avail_in))
    }
}
