import Foundation
import Testing
import XJTestSupport

/// `Docs/Guide.md` (and the README's workflow block) run as a test (issue 13 §4): every ```sh block in order, in one scratch folder, with
/// the built `xj` first on PATH, and every printed result the Guide shows (the `# ` lines after a
/// command) compared with what the command printed.
///
/// Comparison: each shown line must match a later line of the command's output, in order. Ids (7 or
/// more hex digits) are learned — the first time a shown id meets a printed one they are tied, and
/// later commands that name the shown id get the printed one — so the Guide can say `xj show 5dfe28a`.
/// (A shown id has a letter in it, so it is not read as a number.) Dates and `…` match anything; words, verdicts and whole numbers must be equal; a number with
/// decimals may differ by one unit in its last printed digit (BLAS kernels differ in the last bits).
/// A command must exit 0 unless its comment says `exit status N` or `refused`.
@Suite(.tags(.slow)) struct GuideTests {
    struct Command {
        let text: String
        var expected: [String] = []
        let line: Int
    }

    static var root: String { URL(fileURLWithPath: Fixtures.digitsPath).deletingLastPathComponent().deletingLastPathComponent().path }

    /// The commands of every ```sh block, and the files of ```yaml blocks that start with `# <name>`.
    static func parse(_ markdown: String) -> [(file: (String, String)?, commands: [Command])] {
        var blocks: [(file: (String, String)?, commands: [Command])] = []
        var fence: String?
        var body: [(Int, String)] = []
        for (index, line) in markdown.components(separatedBy: "\n").enumerated() {
            if fence == nil, line.hasPrefix("```") {
                fence = String(line.dropFirst(3))
                body = []
                continue
            }
            guard let kind = fence else { continue }
            guard line.hasPrefix("```") else { body.append((index + 1, line)); continue }
            fence = nil
            if kind == "sh" {
                var commands: [Command] = []
                var pending = ""
                var start = 0
                for (number, text) in body {
                    if text.hasPrefix("# ") || text == "#" {
                        if !commands.isEmpty { commands[commands.count - 1].expected.append(String(text.dropFirst(2))) }
                        continue
                    }
                    if text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                    if pending.isEmpty { start = number }
                    if text.hasSuffix("\\") { pending += String(text.dropLast()) + " "; continue }
                    commands.append(Command(text: pending + text, line: start))
                    pending = ""
                }
                blocks.append((nil, commands))
            } else if kind == "yaml", let first = body.first?.1, first.hasPrefix("# ") {
                blocks.append(((String(first.dropFirst(2)), body.dropFirst().map(\.1).joined(separator: "\n") + "\n"), []))
            }
        }
        return blocks
    }

    /// Ties of shown ids to printed ones.
    final class Ids {
        var printed: [String: String] = [:]

        /// A shown id's printed counterpart, if they were tied (by a common prefix of the shorter's length).
        func lookup(_ shown: String) -> String? {
            printed.first { $0.key.hasPrefix(shown) || shown.hasPrefix($0.key) }.map { String($0.value.prefix(shown.count)) }
        }

        /// The command with every tied id replaced.
        func substitute(_ command: String) -> String {
            var result = command
            let regex = try! NSRegularExpression(pattern: "\\b[0-9a-f]{7,40}\\b")
            for match in regex.matches(in: command, range: NSRange(command.startIndex..., in: command)).reversed() {
                guard let range = Range(match.range, in: result) else { continue }
                let token = String(result[range])
                guard token.contains(where: \.isLetter), let replacement = lookup(token) else { continue }
                result.replaceSubrange(range, with: replacement)
            }
            return result
        }
    }

    /// The text a pattern matches at the start of `text`, if it does.
    static func prefix(_ pattern: String, of text: Substring) -> String? {
        let string = String(text)
        let regex = try! NSRegularExpression(pattern: "^(?:" + pattern + ")")
        guard let match = regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)),
              let range = Range(match.range, in: string) else { return nil }
        return String(string[range])
    }

    /// Whether a printed line matches a shown one (see the suite's comment); ties ids on success.
    static func matches(shown: String, printed: String, ids: Ids) -> Bool {
        let collapse = { (text: String) in text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        let shownLine = collapse(shown), printedLine = collapse(printed)
        // Tokens: ids, dates, numbers, the ellipsis, and everything else character by character.
        var pattern = "^"
        var checks: [(kind: Character, shown: String)] = []
        var rest = Substring(shownLine)
        while !rest.isEmpty {
            if let date = prefix("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}", of: rest) {
                pattern += "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}"
                rest = rest.dropFirst(date.count)
            } else if let id = prefix("[0-9a-f]{7,40}(?![0-9a-zA-Z])", of: rest), id.contains(where: \.isLetter) {
                pattern += "([0-9a-f]{7,40})"
                checks.append(("i", id))
                rest = rest.dropFirst(id.count)
            } else if let number = prefix("-?\\d+(\\.\\d+)?(e[-+]?\\d+)?(?![0-9a-zA-Z_])", of: rest) {
                pattern += "(-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)"
                checks.append(("n", number))
                rest = rest.dropFirst(number.count)
            } else if rest.hasPrefix("…") {
                pattern += ".*"
                rest = rest.dropFirst()
            } else {
                pattern += NSRegularExpression.escapedPattern(for: String(rest.first!))
                rest = rest.dropFirst()
            }
        }
        pattern += "\\s*$"
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let found = regex.firstMatch(in: printedLine, range: NSRange(printedLine.startIndex..., in: printedLine)) else { return false }
        var ties: [(String, String)] = []
        for (index, check) in checks.enumerated() {
            guard let range = Range(found.range(at: index + 1), in: printedLine) else { return false }
            let value = String(printedLine[range])
            switch check.kind {
            case "i":
                if let tied = ids.lookup(check.shown), !value.hasPrefix(tied) && !tied.hasPrefix(value) { return false }
                ties.append((check.shown, value))
            default:
                guard let expected = Double(check.shown), let actual = Double(value) else { return false }
                let text = check.shown.lowercased()
                if !text.contains(".") && !text.contains("e") {
                    if expected != actual { return false }
                    continue
                }
                // One unit in the last printed digit: 0.9666 → 0.0001; 1.5e-05 → 1e-06.
                let mantissa = text.split(separator: "e").first.map(String.init) ?? text
                let decimals = mantissa.split(separator: ".").dropFirst().first?.count ?? 0
                let exponent = text.contains("e") ? Int(text.split(separator: "e")[1]) ?? 0 : 0
                let unit = pow(10, Double(exponent - decimals))
                if abs(expected - actual) > unit * 1.0001 { return false }
            }
        }
        for (shown, value) in ties where ids.lookup(shown) == nil { ids.printed[shown] = value }
        return true
    }

    @Test func everyCommandOfTheGuideRunsAndPrintsWhatTheGuideShows() throws {
        let guide = try String(contentsOfFile: Self.root + "/Docs/Guide.md", encoding: .utf8)
        let blocks = Self.parse(guide)
        #expect(blocks.flatMap(\.commands).count >= 40, "the Guide's command blocks were not found")
        try withScratchDirectory { folder in
            // The Guide's reader has xj's source beside their study folder (`../xj/data/digits.csv`).
            try FileManager.default.createSymbolicLink(atPath: folder + "/xj", withDestinationPath: Self.root)
            for failure in try Self.run(blocks, in: folder, document: "Guide.md") { Issue.record(Comment(rawValue: failure)) }
        }
    }

    @Test func theReadmeWorkflowRunsAndPrintsWhatItShows() throws {
        let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8)
        let blocks = Self.parse(readme).filter { $0.commands.contains { $0.text.hasPrefix("xj init") } }
        #expect(blocks.count == 1 && blocks[0].commands.count >= 20, "the README's workflow block was not found")
        try withScratchDirectory { folder in
            // The README's commands run in a checkout of xj: `data/digits.csv`, `python`.
            let checkout = folder + "/checkout"
            try FileManager.default.createDirectory(atPath: checkout, withIntermediateDirectories: true)
            for name in ["data", "scripts", "python"] {
                try FileManager.default.createSymbolicLink(atPath: checkout + "/" + name, withDestinationPath: Self.root + "/" + name)
            }
            for failure in try Self.run(blocks, in: checkout, document: "README.md") { Issue.record(Comment(rawValue: failure)) }
        }
    }

    /// Runs the blocks' commands in order, starting in `folder`, and returns what went wrong.
    static func run(_ blocks: [(file: (String, String)?, commands: [Command])], in folder: String, document: String) throws -> [String] {
        let binDirectory = (BuiltBinary.xjPath as NSString).deletingLastPathComponent
        let python = ProcessInfo.processInfo.environment["XJ_TEST_PYTHON"] ?? Self.root + "/.build-test/venv/bin/python3"
        let pythonDirectory = (python as NSString).deletingLastPathComponent
        let path = [binDirectory, pythonDirectory, ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"].joined(separator: ":")
        let ids = Ids()
        var directory = folder
        var failures: [String] = []
        let cwdFile = folder + "/.guide-cwd"
        for block in blocks {
            if let (name, content) = block.file {
                FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(content.utf8))
                continue
            }
            for command in block.commands {
                let text = ids.substitute(command.text)
                let script = "cd \"$1\" || exit 99\n" + text + "\nstatus=$?\npwd > \"$2\"\nexit $status\n"
                let result = try BuiltBinary.run("/bin/sh", ["-c", script, "guide", directory, cwdFile], in: directory,
                                                 environment: ["PATH": path, "COLUMNS": "200", "XJ_DIR": ""])
                if let next = try? String(contentsOfFile: cwdFile, encoding: .utf8) { directory = next.trimmingCharacters(in: .newlines) }
                let comment = command.text.components(separatedBy: " # ").dropFirst().joined(separator: " # ")
                let expectedStatus: Int32? = comment.contains("exit status 1") ? 1 : (comment.contains("refused") ? nil : 0)
                if let expectedStatus, result.status != expectedStatus {
                    failures.append("\(document) line \(command.line): `\(text)` exited \(result.status): \(result.stderr.prefix(300))")
                    continue
                }
                if expectedStatus == nil && result.status == 0 {
                    failures.append("\(document) line \(command.line): `\(text)` should be refused but exited 0")
                }
                let printed = (result.stdout + result.stderr).components(separatedBy: "\n")
                var position = 0
                for shown in command.expected {
                    guard let found = printed[position...].firstIndex(where: { Self.matches(shown: shown, printed: $0, ids: ids) }) else {
                        failures.append("\(document) line \(command.line): `\(text)` did not print a line like\n    \(shown)\n  it printed:\n    " +
                                        printed.prefix(40).joined(separator: "\n    "))
                        break
                    }
                    position = found + 1
                }
            }
        }
        return failures
    }

    @Test func theMatcherAllowsWhatItShouldAndNothingElse() {
        let ids = Ids()
        #expect(Self.matches(shown: "metrics     val_accuracy 0.9666, val_loss 0.2038", printed: "metrics     val_accuracy 0.9667, val_loss 0.2038", ids: ids))
        #expect(!Self.matches(shown: "metrics     val_accuracy 0.9666", printed: "metrics     val_accuracy 0.9668", ids: ids))
        #expect(!Self.matches(shown: "prediction 1: FALSIFIED", printed: "prediction 1: SUPPORTED", ids: ids))
        #expect(!Self.matches(shown: "16 experiments", printed: "17 experiments", ids: ids))
        #expect(Self.matches(shown: "experiment  5dfe28af… (staged)", printed: "experiment  0123abcd99887766 (staged)", ids: ids))
        #expect(ids.substitute("xj show 5dfe28a") == "xj show 0123abc")
        #expect(!Self.matches(shown: "already run: experiment 5dfe28a", printed: "already run: experiment 99999aa", ids: ids))
        #expect(Self.matches(shown: "3a68016 (main) 2026-11-22 17:07  note", printed: "ab12cd3 (main) 2026-11-29 00:30  note", ids: ids))
    }
}
