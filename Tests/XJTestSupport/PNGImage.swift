import CZlib
import Foundation

/// The pixels of an 8-bit, non-interlaced PNG (as chromium writes screenshots), for tests that look
/// at a rendered page.
public struct PNGImage {
    public let width: Int
    public let height: Int
    /// Bytes per pixel: 3 (RGB) or 4 (RGBA).
    public let channels: Int
    /// Unfiltered rows, `height × width × channels` bytes.
    public let pixels: [UInt8]

    public struct DecodeError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(contentsOf path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count > 8, bytes[0..<8].elementsEqual([137, 80, 78, 71, 13, 10, 26, 10]) else { throw DecodeError(description: "\(path): not a PNG") }
        func integer(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8
        var width = 0, height = 0, channels = 0
        var compressed: [UInt8] = []
        while offset + 8 <= bytes.count {
            let length = integer(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            switch type {
            case "IHDR":
                width = (0..<4).reduce(0) { $0 << 8 | Int(body[$1]) }
                height = (4..<8).reduce(0) { $0 << 8 | Int(body[$1]) }
                guard body[8] == 8, body[12] == 0 else { throw DecodeError(description: "\(path): only 8-bit non-interlaced PNGs") }
                switch body[9] {
                case 2: channels = 3
                case 6: channels = 4
                default: throw DecodeError(description: "\(path): colour type \(body[9]) not supported")
                }
            case "IDAT": compressed += body
            default: break
            }
            offset += 12 + length
        }
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        var rawLength = uLongf(raw.count)
        let status = compressed.withUnsafeBufferPointer { source in
            raw.withUnsafeMutableBufferPointer { uncompress($0.baseAddress, &rawLength, source.baseAddress, uLong(source.count)) }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else { throw DecodeError(description: "\(path): image data does not inflate") }
        var pixels = [UInt8](repeating: 0, count: height * stride)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            for column in 0..<stride {
                let value = Int(raw[row * (stride + 1) + 1 + column])
                let left = column >= channels ? Int(pixels[row * stride + column - channels]) : 0
                let up = row > 0 ? Int(pixels[(row - 1) * stride + column]) : 0
                let upLeft = row > 0 && column >= channels ? Int(pixels[(row - 1) * stride + column - channels]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = left
                case 2: predicted = up
                case 3: predicted = (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let (a, b, c) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
                    predicted = a <= b && a <= c ? left : (b <= c ? up : upLeft)
                default: throw DecodeError(description: "\(path): unknown filter \(filter)")
                }
                pixels[row * stride + column] = UInt8((value + predicted) & 0xff)
            }
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// The variance of the pixels' luminance (0 for a blank image).
    public var luminanceVariance: Double {
        var sum = 0.0, sumOfSquares = 0.0
        let count = width * height
        for index in 0..<count {
            let base = index * channels
            let luminance = 0.299 * Double(pixels[base]) + 0.587 * Double(pixels[base + 1]) + 0.114 * Double(pixels[base + 2])
            sum += luminance
            sumOfSquares += luminance * luminance
        }
        let mean = sum / Double(max(count, 1))
        return sumOfSquares / Double(max(count, 1)) - mean * mean
    }
}
