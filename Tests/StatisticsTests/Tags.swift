import Testing

extension Tag {
    /// Tests that take more than a few seconds (races over many rounds, fuzzing): few, and listed in Docs/Reliability.md.
    @Tag static var slow: Self
}
