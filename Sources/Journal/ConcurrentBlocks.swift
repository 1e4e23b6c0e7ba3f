import Foundation

/// Work over `0..<count` cut into contiguous blocks that run at once, one thread each, with each
/// block's result kept in block order: what is computed does not depend on how many blocks there are.
public enum ConcurrentBlocks {
    /// `body` of each block of `0..<count`, in order. Below `threshold` items one block runs on the
    /// caller's thread (a hand-off between threads costs more than it saves on little work).
    public static func map<T>(count: Int, threshold: Int, maximumBlocks: Int = 8, _ body: (Range<Int>) -> T) -> [T] {
        let blocks = count >= threshold ? max(1, min(ProcessInfo.processInfo.activeProcessorCount, maximumBlocks, count)) : 1
        guard blocks > 1 else { return [body(0..<count)] }
        var results = [T?](repeating: nil, count: blocks)
        results.withUnsafeMutableBufferPointer { results in
            DispatchQueue.concurrentPerform(iterations: blocks) { block in
                results[block] = body(count * block / blocks..<count * (block + 1) / blocks)
            }
        }
        return results.map { $0! }
    }
}
