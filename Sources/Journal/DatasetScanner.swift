/// Reads a dataset file chunk by chunk, validating it and gathering what the manifest needs.
protocol DatasetScanner {
    /// Takes the next bytes of the file. - Throws: `JournalError.invalidDataset` at the first bad byte, line or value.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) throws
    /// Completes the scan of a file of `totalBytes` bytes.
    mutating func finish(totalBytes: UInt64) throws -> DatasetManifest
}
