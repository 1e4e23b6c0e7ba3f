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
        let probability = try PredictionParser.parse("prob(val_loss | dropout=0.5, hidden=256 < dropout=0, hidden=256) > 0.75")
        #expect(probability.left.selector == ["dropout": 0.5, "hidden": 256] && probability.versus?.below == true)
        #expect(probability.versus?.side.selector == ["dropout": 0, "hidden": 256] && probability.right == .number(0.75))
        #expect(try PredictionParser.parse("iqm(val_loss) < 0.2").left.aggregate == .iqm)
        let layers = try PredictionParser.parse("max(val_r2 | hidden=128/64) > 1e-1")
        #expect(layers.left.selector["hidden"] == [128, 64])
    }

    @Test(arguments: [
        ("mean(val_loss | dropout=0.5 < 3", 32, "expected `)` to close `mean(`"),
        ("avg(val_loss) < 3", 1, "unknown aggregate `avg`; use mean, median, iqm, min, max, std or prob"),
        ("mean(val_loss) = 3", 16, "expected a comparison: <, <=, > or >="),
        ("mean val_loss < 3", 6, "expected `(` after `mean`"),
        ("mean(val_loss) < ", 18, "expected an aggregate such as mean(…) or a number"),
        ("mean(val_loss) < 3 extra", 20, "unexpected text after the prediction"),
        ("mean(val_loss | =3) < 1", 17, "expected a selector key=value"),
        ("prob(val_loss | a=1) > 0.5", 20, "expected `<` or `>` between the two groups of prob(…)"),
        ("prob(val_loss | a=1 < b=2) > 1.5", 30, "expected a probability between 0 and 1 after prob(…)"),
        ("mean(val_loss) < prob(val_loss | a=1 < a=2)", 18, "prob(…) compares two groups by itself: use it on the left against a number, e.g. prob(val_loss | a=1 < a=2) > 0.75"),
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
