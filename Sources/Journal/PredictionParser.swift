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
        let left = try side()
        let comparison = try comparisonOperator()
        skipSpaces()
        let start = position
        if position < characters.count, characters[position].isLetter {
            let right = try side()
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

    private mutating func side() throws -> Prediction.Side {
        skipSpaces()
        let start = position
        let name = word()
        guard let aggregate = Prediction.Aggregate(rawValue: name) else {
            throw fail(name.isEmpty ? "expected an aggregate: mean, median, min, max or std"
                                    : "unknown aggregate `\(name)`; use mean, median, min, max or std", at: start)
        }
        try expect("(", "`(` after `\(name)`")
        skipSpaces()
        let metricStart = position
        let metric = word()
        guard !metric.isEmpty else { throw fail("expected a metric name such as val_loss", at: metricStart) }
        var selector: [String: JSONValue] = [:]
        skipSpaces()
        if position < characters.count, characters[position] == "|" {
            position += 1
            while true {
                skipSpaces()
                let keyStart = position
                let key = word()
                guard !key.isEmpty else { throw fail("expected a selector key=value", at: keyStart) }
                try expect("=", "`=` after `\(key)`")
                skipSpaces()
                let valueStart = position
                while position < characters.count, characters[position] != ",", characters[position] != ")" { position += 1 }
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
        }
        try expect(")", "`)` to close `\(name)(`")
        return Prediction.Side(aggregate: aggregate, metric: metric, selector: selector)
    }
}

import Foundation
