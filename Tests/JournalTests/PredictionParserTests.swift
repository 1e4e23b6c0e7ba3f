import Testing
@testable import Journal

@Suite struct PredictionParserTests {
    @Test func parsesComparisonsOfAggregatesWithMargins() throws {
        let prediction = try PredictionParser.parse("mean(val_accuracy | dropout=0.5, hidden=256) >= mean(val_accuracy | dropout=0) - 0.01")
        #expect(prediction.left == Prediction.Side(aggregate: .mean, metric: "val_accuracy", selector: ["dropout": 0.5, "hidden": 256]))
        #expect(prediction.comparison == .greaterOrEqual)
        #expect(prediction.right == .side(Prediction.Side(aggregate: .mean, metric: "val_accuracy", selector: ["dropout": 0]), margin: -0.01))
        let constant = try PredictionParser.parse("median(val_loss) < 0.2")
        #expect(constant.right == .number(0.2) && constant.left.selector.isEmpty)
        let layers = try PredictionParser.parse("max(val_r2 | hidden=128/64) > 1e-1")
        #expect(layers.left.selector["hidden"] == [128, 64])
    }

    @Test(arguments: [
        ("mean(val_loss | dropout=0.5 < 3", 32, "expected `)` to close `mean(`"),
        ("avg(val_loss) < 3", 1, "unknown aggregate `avg`; use mean, median, min, max or std"),
        ("mean(val_loss) = 3", 16, "expected a comparison: <, <=, > or >="),
        ("mean val_loss < 3", 6, "expected `(` after `mean`"),
        ("mean(val_loss) < ", 18, "expected an aggregate such as mean(…) or a number"),
        ("mean(val_loss) < 3 extra", 20, "unexpected text after the prediction"),
        ("mean(val_loss | =3) < 1", 17, "expected a selector key=value"),
    ])
    func errorsPointAtTheColumn(_ text: String, _ column: Int, _ message: String) {
        do {
            _ = try PredictionParser.parse(text)
            Issue.record("expected an error")
        } catch let JournalError.predictionSyntax(_, found, said) {
            #expect(found == column)
            #expect(said == message)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// One line (a caret on a second line broke "one error line"): the text from the column on shows where.
    @Test func errorIsOneLineShowingWhereInThePrediction() {
        let error = JournalError.predictionSyntax(text: "mean(x) = 1", column: 9, message: "expected a comparison")
        #expect("\(error)" == "prediction \"mean(x) = 1\", column 9 (at \"= 1\"): expected a comparison")
        let end = JournalError.predictionSyntax(text: "mean(x) <", column: 10, message: "expected a number")
        #expect("\(error)".split(separator: "\n").count == 1 && "\(end)" == "prediction \"mean(x) <\", column 10 (at the end): expected a number")
    }
}
