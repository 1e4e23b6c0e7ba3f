import Foundation
import Testing
@testable import Journal

/// `run.json`'s timestamps read digit by digit give the formatter's dates, to the bit.
@Suite struct RunTimestampTests {
    private func formatterDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    @Test func writtenTimestampsReadAsTheFormatterReadsThem() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            // Whole milliseconds from 1970 to 2200, as `RunTimestamp.string` writes them.
            let milliseconds = Int64.random(in: 0...7_258_118_400_000, using: &generator)
            let text = RunTimestamp.string(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            #expect(RunTimestamp.utcMilliseconds(text) != nil, "\(text)")
            let fast = RunTimestamp.date(text), slow = formatterDate(text)
            #expect(fast?.timeIntervalSince1970.bitPattern == slow?.timeIntervalSince1970.bitPattern, "\(text): \(String(describing: fast)) against \(String(describing: slow))")
        }
    }

    @Test(arguments: ["1970-01-01T00:00:00.000Z", "2000-02-29T23:59:59.999Z", "2026-11-30T21:04:05.123Z", "2100-03-01T00:00:00.001Z"])
    func namedTimestamps(_ text: String) {
        #expect(RunTimestamp.utcMilliseconds(text) != nil)
        #expect(RunTimestamp.date(text)?.timeIntervalSince1970.bitPattern == formatterDate(text)?.timeIntervalSince1970.bitPattern)
    }

    /// Any other form is the formatter's to read, or to refuse.
    @Test(arguments: ["2026-11-30T21:04:05.123+01:00", "2026-11-30T21:04:05Z", "2026-02-29T10:00:00.000Z", "2026-13-01T10:00:00.000Z",
                      "2026-11-30T24:00:00.000Z", "1969-12-31T23:59:59.999Z", "2026-11-30 21:04:05.123Z", "２026-11-30T21:04:05.123Z", ""])
    func otherFormsGoToTheFormatter(_ text: String) {
        #expect(RunTimestamp.utcMilliseconds(text) == nil)
        #expect(RunTimestamp.date(text)?.timeIntervalSince1970.bitPattern == formatterDate(text)?.timeIntervalSince1970.bitPattern)
    }
}
