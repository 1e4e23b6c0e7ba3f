import Foundation
import Testing
import XJTestSupport

/// Help examples are printed whole, whatever the terminal's width (issue 13 §5).
@Suite struct HelpTextTests {
    @Test(arguments: [["train", "--help"], ["hypothesis", "new", "--help"], ["report", "--help"], ["grid", "--help"], ["sweep", "submit", "--help"], ["sweep", "task", "--help"]])
    func examplesAreNotWrappedMidCommand(_ arguments: [String]) throws {
        let help = try BuiltBinary.xj(arguments, in: "/", environment: ["COLUMNS": "60"])
        #expect(help.status == 0)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasSuffix("Examples:") || $0.hasSuffix("Example:") })
        let examples = lines[(start + 1)...].prefix { !$0.isEmpty }
        #expect(!examples.isEmpty)
        for line in examples { #expect(line.hasPrefix("  "), "a wrapped example line: \(line)") }
        #expect(examples.contains { $0.count > 60 }, "no example is longer than the terminal, so wrapping was not exercised")
    }
}
