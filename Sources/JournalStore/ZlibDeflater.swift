import CZlib

/// A zlib stream written in pieces (a pack entry for an object that cannot be copied as it is packed).
final class ZlibDeflater {
    private var stream = z_stream()
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// - Parameter level: zlib's level (1 fastest … 9 smallest; -1 zlib's default).
    init?(level: Int32) {
        guard deflateInit_(&stream, level, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
    }

    deinit { deflateEnd(&stream) }

    /// Compresses `bytes`, handing each piece of output to `sink`; `finish` ends the stream.
    func write(_ bytes: UnsafeRawBufferPointer, finish: Bool, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(bytes.count)
        while true {
            let (status, produced): (Int32, Int) = buffer.withUnsafeMutableBytes { out in
                stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                let status = deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH)
                return (status, out.count - Int(stream.avail_out))
            }
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw StoreError.io(path: "zlib", reason: "deflate failed (status \(status))")
            }
            if produced > 0 { try buffer.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
            if finish ? status == Z_STREAM_END : (stream.avail_in == 0 && produced < buffer.count) { return }
        }
    }
}
