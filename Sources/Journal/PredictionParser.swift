/// Parses the prediction language, pointing at the column of a mistake.
public struct PredictionParser {
    private let characters: [Character]
    private let text: String
    private var position = 0

    /// - Throws: `JournalError.predictionSyntax` with the column (1-based) and what was expected.
    public static func parse(_ text: String) throws -> Prediction {
        var parser = PredictionParser(text: text)
        return try parser.prediction()
    }

    private init(text: String) {
        self.text = text
        characters = Array(text)
    }

    private func fail(_ message: String, at column: Int? = nil) -> JournalError {
        .predictionSyntax(text: text, column: (column ?? position) + 1, message: message)
    }

    private mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    private mutating func word() -> String {
        skipSpaces()
        let start = position
        while position < characters.count, characters[position].isLetter || characters[position].isNumber || characters[position] == "_" || characters[position] == "." || characters[position] == "-" {
            position += 1
        }
        return String(characters[start..<position])
    }

    private mutating func expect(_ symbol: Character, _ what: String) throws {
        skipSpaces()
        guard position < characters.count, characters[position] == symbol else { throw fail("expected \(what)") }
        position += 1
    }

    private mutating func prediction() throws -> Prediction {
        let (left, versus) = try side()
        let comparison = try comparisonOperator()
        if let versus {
            skipSpaces()
            let start = position
            guard let value = number(), value >= 0, value <= 1 else { throw fail("expected a probability between 0 and 1 after prob(…)", at: start) }
            try end()
            return Prediction(text: text, left: left, comparison: comparison, right: .number(value), versus: versus)
        }
        skipSpaces()
        let start = position
        if position < characters.count, characters[position].isLetter {
            let (right, other) = try side()
            guard other == nil else { throw fail("prob(…) compares two groups by itself: use it on the left against a number, e.g. prob(val_loss | a=1 < a=2) > 0.75", at: start) }
            skipSpaces()
            var margin = 0.0
            if position < characters.count, "+-±".contains(characters[position]) {
                let sign = characters[position]
                position += 1
                let numberStart = position
                guard let value = number() else { throw fail("expected a number after `\(sign)`", at: numberStart) }
                margin = sign == "-" ? -value : value
            }
            try end()
            return Prediction(text: text, left: left, comparison: comparison, right: .side(right, margin: margin))
        }
        guard let value = number() else { throw fail("expected an aggregate such as mean(…) or a number", at: start) }
        try end()
        return Prediction(text: text, left: left, comparison: comparison, right: .number(value))
    }

    private mutating func end() throws {
        skipSpaces()
        guard position == characters.count else { throw fail("unexpected text after the prediction") }
    }

    private mutating func number() -> Double? {
        skipSpaces()
        let start = position
        while position < characters.count, characters[position].isNumber || ".eE+-".contains(characters[position]) {
            // A sign is part of the number only at its start or after an exponent.
            if "+-".contains(characters[position]), position > start, !"eE".contains(characters[position - 1]) { break }
            position += 1
        }
        guard position > start, let value = Double(String(characters[start..<position])), value.isFinite else {
            position = start
            return nil
        }
        return value
    }

    private mutating func comparisonOperator() throws -> Prediction.Comparison {
        skipSpaces()
        let start = position
        guard position < characters.count, "<>".contains(characters[position]) else {
            throw fail("expected a comparison: <, <=, > or >=")
        }
        var symbol = String(characters[position])
        position += 1
        if position < characters.count, characters[position] == "=" {
            symbol += "="
            position += 1
        }
        guard let comparison = Prediction.Comparison(rawValue: symbol) else { throw fail("expected <, <=, > or >=", at: start) }
        return comparison
    }

    /// `AGG(metric | selector)`, or `prob(metric | selector < selector)` with its second group.
    private mutating func side() throws -> (Prediction.Side, Prediction.Versus?) {
        skipSpaces()
        let start = position
        let name = word()
        guard let aggregate = Prediction.Aggregate(rawValue: name) else {
            throw fail(name.isEmpty ? "expected an aggregate: mean, median, iqm, min, max, std or prob"
                                    : "unknown aggregate `\(name)`; use mean, median, iqm, min, max, std or prob", at: start)
        }
        try expect("(", "`(` after `\(name)`")
        skipSpaces()
        let metricStart = position
        let metric = word()
        guard !metric.isEmpty else { throw fail("expected a metric name such as val_loss", at: metricStart) }
        skipSpaces()
        if aggregate == .prob {
            try expect("|", "`|` and two groups, e.g. prob(\(metric) | dropout=0.5 < dropout=0)")
            let first = try selector(probability: true)
            skipSpaces()
            guard position < characters.count, "<>".contains(characters[position]) else {
                throw fail("expected `<` or `>` between the two groups of prob(…)")
            }
            let below = characters[position] == "<"
            position += 1
            let second = try selector(probability: true)
            guard !first.isEmpty, !second.isEmpty else { throw fail("prob(…) needs a selector on each side of `<`", at: metricStart) }
            try expect(")", "`)` to close `prob(`")
            return (Prediction.Side(aggregate: .prob, metric: metric, selector: first),
                    Prediction.Versus(side: Prediction.Side(aggregate: .prob, metric: metric, selector: second), below: below))
        }
        var selector: [String: JSONValue] = [:]
        if position < characters.count, characters[position] == "|" {
            position += 1
            selector = try self.selector(probability: false)
        }
        try expect(")", "`)` to close `\(name)(`")
        return (Prediction.Side(aggregate: aggregate, metric: metric, selector: selector), nil)
    }

    /// `key=value, …` up to `)` (or, inside prob(…), up to `<` or `>`).
    private mutating func selector(probability: Bool) throws -> [String: JSONValue] {
        var selector: [String: JSONValue] = [:]
        let stops: Set<Character> = probability ? [",", ")", "<", ">"] : [",", ")"]
        while true {
            skipSpaces()
            let keyStart = position
            let key = word()
            guard !key.isEmpty else { throw fail("expected a selector key=value", at: keyStart) }
            try expect("=", "`=` after `\(key)`")
            skipSpaces()
            let valueStart = position
            while position < characters.count, !stops.contains(characters[position]) { position += 1 }
            let raw = String(characters[valueStart..<position]).trimmingCharacters(in: .whitespaces)
            guard !raw.isEmpty else { throw fail("expected a value for `\(key)`", at: valueStart) }
            if let extra = raw.firstIndex(of: "=") {
                throw fail("a selector value cannot contain `=` (one key=value per selector, separated by commas)",
                           at: valueStart + raw.distance(from: raw.startIndex, to: extra))
            }
            do { try ParameterSet.validateKey(key, source: "prediction") } catch { throw fail("`\(key)` is not a parameter name", at: keyStart) }
            guard selector[key] == nil else { throw fail("`\(key)` is selected twice", at: keyStart) }
            selector[key] = try ParameterSet.typedValue(raw.replacingOccurrences(of: "/", with: ","), key: key, source: "prediction")
            skipSpaces()
            if position < characters.count, characters[position] == "," { position += 1; continue }
            break
        }
        return selector
    }
}

import Foundation
