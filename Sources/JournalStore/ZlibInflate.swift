import CZlib

/// One-shot inflation of a zlib stream whose inflated size is known (a pack entry's data).
enum ZlibInflate {
    /// Inflates `compressed` into exactly `size` bytes; nil when the stream is corrupt, ends early, or
    /// would produce more than `size` bytes.
    static func exactly(_ size: Int, from compressed: UnsafeRawBufferPointer) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        // One spare byte: a stream that would write past `size` fills it and is refused.
        var output = [UInt8](repeating: 0, count: size + 1)
        let status: Int32 = output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: compressed.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(compressed.count)
            stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(out.count)
            return inflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else { return nil }
        output.removeLast()
        return output
    }
}
