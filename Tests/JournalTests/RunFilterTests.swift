import Testing
@testable import Journal

/// The `xj runs --where` language: what it selects, and that no input crashes it.
@Suite struct RunFilterTests {
    /// A row's field values, as `ExperimentRow.values(of:)` gives them.
    static func values(_ fields: [String: [JSONValue]]) -> (String) -> [JSONValue] { { fields[$0] ?? [] } }

    @Test func selectsWhatItSays() throws {
        let row = Self.values(["lr": [.number(0.01)], "hidden": [.array([.number(64)])], "optimizer": [.string("adam")],
                               "line": [.string("main"), .string("wide")], "date": [.string("2026-11-28T09:14:03Z")], "tag": []])
        let cases: [(String, Bool)] = [
            ("lr < 0.05", true), ("lr >= 0.05", false), ("lr = 1e-2", true), ("lr != 0.01", false),
            ("hidden = 64", true), ("optimizer in (sgd, adam)", true), ("optimizer = 'adam'", true), ("optimizer = \"sgd\"", false),
            ("line = wide", true), ("line = other", false), ("line != main", false),
            ("date = 2026-11-28", true), ("date < 2026-11-28", false), ("date >= 2026-11", true),
            ("tag = best", false), ("not tag = best", true), ("missing > 1", false), ("not (missing > 1)", true),
            ("lr < 0.05 and optimizer = sgd", false), ("lr < 0.05 or optimizer = sgd", true),
            ("not lr < 0.05 or optimizer = adam and hidden = 64", true), ("(not lr < 0.05 or optimizer = adam) and hidden = 32", false),
            ("LR < 1", false), ("lr < 1 AND hidden > 10", true),
        ]
        for (text, expected) in cases {
            #expect(try RunFilterParser.parse(text).matches(row) == expected, "\(text)")
        }
    }

    @Test func mistakesNameTheirColumn() {
        let cases: [(String, Int, String)] = [
            ("", 1, "expected a comparison"), ("lr", 3, "expected a comparison"), ("lr <", 5, "expected a value"),
            ("lr < 1 lr > 2", 8, "unexpected text"), ("(lr < 1", 8, "expected `)`"), ("lr in (1, 2", 12, "expected `,` or `)`"),
            ("lr = 'x", 6, "not closed"), ("3 < lr", 1, "expected a field name"), ("lr << 2", 4, "expected a comparison"),
        ]
        for (text, column, message) in cases {
            #expect(throws: JournalError.self, "\(text)") { try RunFilterParser.parse(text) }
            do {
                _ = try RunFilterParser.parse(text)
            } catch let JournalError.filterSyntax(_, _, found, description) {
                #expect(found == column && description.contains(message), "\(text): column \(found), \(description)")
            } catch {
                Issue.record("\(text): \(error)")
            }
        }
    }

    /// Generated input: 20,000 strings over the language's own characters and words never crash the
    /// parser, and every refusal points inside the text (or just after it).
    @Test func generatedInputNeverCrashes() {
        let pieces = ["lr", "val_loss", "tag", "date", "and", "or", "not", "in", "(", ")", ",", "=", "==", "!=", "<", "<=", ">", ">=",
                      "'", "\"", "0.1", "-3", "1e9", "nan", "inf", "adam", " ", "  ", "é", "\u{0}", "\n", "2026-11-28", "params.lr", "!"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var parsed = 0
        for _ in 0..<20_000 {
            let text = (0..<next(9)).map { _ in pieces[next(pieces.count)] }.joined(separator: next(2) == 0 ? " " : "")
            do {
                let filter = try RunFilterParser.parse(text)
                _ = filter.matches(Self.values(["lr": [.number(0.1)], "tag": [.string("adam")]]))
                parsed += 1
            } catch let JournalError.filterSyntax(_, shown, column, _) {
                #expect(shown == text && column >= 1 && column <= text.count + 1, "\(text.debugDescription): column \(column)")
            } catch {
                Issue.record("\(text.debugDescription): \(error)")
            }
        }
        #expect(parsed > 100, "the generator also makes valid expressions")
    }
}
