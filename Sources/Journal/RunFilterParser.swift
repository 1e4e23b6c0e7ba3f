/// Parses `xj runs --where` expressions, pointing at the column of a mistake as the prediction
/// language does:
///
///     expression := term ("or" term)*
///     term       := factor ("and" factor)*
///     factor     := "not" factor | "(" expression ")" | field op value | field "in" "(" value ("," value)* ")"
///     op         := "=" | "==" | "!=" | "<" | "<=" | ">" | ">="
///
/// A value is a number, `true`/`false`, a quoted string, or a bare word (`adam`, `2026-11-28`).
public struct RunFilterParser {
    private let characters: [Character]
    private let text: String
    private let option: String
    private var position = 0

    /// - Throws: `JournalError.filterSyntax` with the column (1-based) and what was expected.
    public static func parse(_ text: String, option: String = "--where") throws -> RunFilter {
        var parser = RunFilterParser(text: text, option: option)
        parser.skipSpaces()
        guard parser.position < parser.characters.count else { throw parser.fail("expected a comparison such as val_loss < 0.3") }
        let filter = try parser.expression()
        parser.skipSpaces()
        guard parser.position == parser.characters.count else { throw parser.fail("unexpected text; join comparisons with `and` or `or`") }
        return filter
    }

    private init(text: String, option: String) {
        self.text = text
        self.option = option
        characters = Array(text)
    }

    func fail(_ message: String, at column: Int? = nil) -> JournalError {
        .filterSyntax(option: option, text: text, column: (column ?? position) + 1, message: message)
    }

    private mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "."
    }

    /// The next word (a field name or keyword) without moving past it.
    private mutating func peekWord() -> String {
        skipSpaces()
        var end = position
        while end < characters.count, Self.isNameCharacter(characters[end]) { end += 1 }
        return String(characters[position..<end])
    }

    private mutating func keyword(_ word: String) -> Bool {
        let next = peekWord()
        guard next.lowercased() == word else { return false }
        position += next.count
        return true
    }

    private mutating func expression() throws -> RunFilter {
        var left = try term()
        while keyword("or") { left = .any(left, try term()) }
        return left
    }

    private mutating func term() throws -> RunFilter {
        var left = try factor()
        while keyword("and") { left = .all(left, try factor()) }
        return left
    }

    private mutating func factor() throws -> RunFilter {
        skipSpaces()
        if keyword("not") { return .not(try factor()) }
        if position < characters.count, characters[position] == "(" {
            position += 1
            let inner = try expression()
            skipSpaces()
            guard position < characters.count, characters[position] == ")" else { throw fail("expected `)` to close `(`") }
            position += 1
            return inner
        }
        let start = position
        let field = peekWord()
        guard !field.isEmpty, field.first!.isLetter || field.first == "_" else {
            throw fail(position >= characters.count ? "expected a comparison such as val_loss < 0.3" : "expected a field name (a parameter, a metric, dataset, model, status, line, tag or date)")
        }
        position += field.count
        if keyword("in") {
            skipSpaces()
            guard position < characters.count, characters[position] == "(" else { throw fail("expected `(` after `in`, e.g. optimizer in (adam, sgd)") }
            position += 1
            var values: [JSONValue] = []
            while true {
                values.append(try value())
                skipSpaces()
                if position < characters.count, characters[position] == "," { position += 1; continue }
                guard position < characters.count, characters[position] == ")" else { throw fail("expected `,` or `)` in the list after `in`") }
                position += 1
                return .member(field: field, values: values, column: start + 1)
            }
        }
        let comparison = try comparisonOperator()
        return .compare(field: field, comparison: comparison, value: try value(), column: start + 1)
    }

    private mutating func comparisonOperator() throws -> RunFilter.Comparison {
        skipSpaces()
        let start = position
        var symbol = ""
        while position < characters.count, "=!<>".contains(characters[position]), symbol.count < 2 {
            symbol.append(characters[position])
            position += 1
        }
        if symbol == "==" { return .equal }
        guard let comparison = RunFilter.Comparison(rawValue: symbol) else {
            position = start
            throw fail("expected a comparison: =, !=, <, <=, >, >= or in (…)")
        }
        return comparison
    }

    private mutating func value() throws -> JSONValue {
        skipSpaces()
        let start = position
        guard position < characters.count else { throw fail("expected a value") }
        if characters[position] == "'" || characters[position] == "\"" {
            let quote = characters[position]
            position += 1
            let begin = position
            while position < characters.count, characters[position] != quote { position += 1 }
            guard position < characters.count else { throw fail("the quoted value is not closed with \(quote)", at: start) }
            let text = String(characters[begin..<position])
            position += 1
            return .string(text)
        }
        while position < characters.count, !characters[position].isWhitespace, !"(),=!<>".contains(characters[position]) { position += 1 }
        let word = String(characters[start..<position])
        guard !word.isEmpty else { throw fail("expected a value (a number, a word or a quoted string)") }
        if word == "true" { return .bool(true) }
        if word == "false" { return .bool(false) }
        if let number = Double(word), number.isFinite, word.first != "+" { return .number(number) }
        if ["nan", "inf", "-inf", "infinity"].contains(word.lowercased()) { throw fail("`\(word)` is not a finite number", at: start) }
        return .string(word)
    }
}
