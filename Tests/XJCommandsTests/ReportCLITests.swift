import Foundation
import Testing
import XJTestSupport

/// `xj plot` and `xj report` on a small journal with a sweep and a judged hypothesis, and the report
/// rendered by a real browser (Debian's chromium, headless).
@Suite struct ReportCLITests {
    /// A journal with a baseline run on main and, on hypothesis/small-lr, a judged hypothesis over a learning-rate sweep.
    func judgedJournal(_ folder: String) throws {
        func xj(_ arguments: [String]) throws {
            let result = try BuiltBinary.xj(arguments, in: folder)
            guard result.status == 0 else { throw ReportTestError(description: "xj \(arguments.joined(separator: " ")): \(result.stderr)") }
        }
        try xj(["init"])
        try xj(["add", Fixtures.digitsPath, "--name", "digits", "--label", "target"])
        try xj(["train", "--data", "digits", "--model", "mlp", "hidden=16", "epochs=3", "seed=1"])
        try xj(["commit", "-m", "baseline"])
        try xj(["hypothesis", "new", "small-lr", "A learning rate of 0.01 beats 0.0001 in three epochs",
                "--predict", "mean(val_loss | lr=0.01) < mean(val_loss | lr=0.0001)"])
        try xj(["grid", "--data", "digits", "--model", "mlp", "hidden=16", "epochs=3", "lr=0.01,0.001,0.0001", "seed=1..3"])
        try xj(["verdict"])
    }

    struct ReportTestError: Error, CustomStringConvertible { let description: String }

    @Test func plotWritesSVGAndJSON() throws {
        try withScratchDirectory { folder in
            try judgedJournal(folder)
            let grid = try BuiltBinary.xj(["plot", "--grid", "lr", "--metric", "val_loss", "-o", "grid.svg"], in: folder)
            #expect(grid.status == 0, "\(grid.stderr)")
            let svg = try XMLNode.parse(try String(contentsOfFile: folder + "/grid.svg", encoding: .utf8))
            #expect(svg.all("line", class: "error-bar").count == 3, "three learning rates, three seeds each")
            #expect(svg.all("text", class: "axis-label").map(\.allText).contains("lr (log scale)"))
            let data = try BuiltBinary.xj(["plot", "--grid", "lr", "--json"], in: folder)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(data.stdout.utf8)) as? [String: Any])
            #expect(object["kind"] as? String == "errorbars")

            let runs = try BuiltBinary.xj(["runs", "--all", "--sort", "run_key", "--json"], in: folder)
            let keys = try #require(try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])
            let ids = keys.prefix(2).compactMap { ($0["experiment"] as? String).map { String($0.prefix(10)) } }
            #expect(ids.count == 2)
            let curves = try BuiltBinary.xj(["plot"] + ids, in: folder)
            let curveSVG = try XMLNode.parse(curves.stdout)
            #expect(curveSVG.all("g", class: "series").count == 8, "2 panels × 2 experiments × train/validation")

            let before = try snapshot(of: folder + "/.journal")
            let unknown = try BuiltBinary.xj(["plot", "--grid", "momentum"], in: folder)
            #expect(unknown.status == 1 && unknown.stderr.hasPrefix("xj: error: no experiment has parameter `momentum`; parameters that vary: "))
            let nothing = try BuiltBinary.xj(["plot"], in: folder)
            #expect(nothing.status != 0 && nothing.stderr.contains("name experiments to plot their curves"))
            #expect(try snapshot(of: folder + "/.journal") == before)
        }
    }

    @Test func reportIsSelfContainedAndEveryRowLinksItsCommit() throws {
        try withScratchDirectory { folder in
            try judgedJournal(folder)
            let result = try BuiltBinary.xj(["report", "main", "hypothesis/small-lr", "-o", "report.html"], in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
            let page = try XMLNode.parse(html)
            let sections = page.all("section", class: "line")
            #expect(sections.count == 2)
            let commitAnchors = Set(page.all("li").compactMap { $0.attributes["id"] })
            let tables = page.all("table", class: "experiments")
            #expect(tables.count == 2)
            var rows = 0
            for table in tables {
                for row in table.all("tbody").flatMap({ $0.all("tr") }) {
                    rows += 1
                    let link = try #require(row.all("a", class: "commit").first, "every experiment row links its commit")
                    let target = try #require(link.attributes["href"])
                    #expect(target.count == "#commit-".count + 40 && target.hasPrefix("#commit-"))
                    #expect(commitAnchors.contains(String(target.dropFirst())), "the link lands on the commit in the list")
                }
            }
            #expect(rows == 1 + 9, "main's baseline; on the hypothesis line the baseline and eight new sweep runs (the ninth point is the baseline)")
            #expect(page.all("span", class: "verdict").first?.allText == "SUPPORTED")
            // The reviewer's numbers: the test, both intervals, the effect size and the power, per prediction.
            let review = try #require(page.all("table", class: "review").first)
            let cells = try #require(review.all("tr").dropFirst().first).all("td").map(\.allText)
            #expect(cells.count == 10 && cells[1].contains("t-test") && cells[3].hasPrefix("[") && cells[4].hasPrefix("[") && !cells[7].isEmpty, "\(cells)")
            #expect(page.all("figure", class: "curves").count == 2 && page.all("figure", class: "grid").count == 1)
            #expect(page.all("table", class: "datasets").first?.allText.contains("digits") == true)
            // Nothing is fetched: no external URL, no script or style from elsewhere.
            for node in page.descendants {
                for attribute in ["src", "href"] {
                    if let value = node.attributes[attribute] { #expect(value.hasPrefix("#"), "\(node.name) \(attribute)=\(value)") }
                }
            }
            let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
            #expect(!withoutNamespace.contains("http:") && !withoutNamespace.contains("https:"), "the SVG namespace is the only URL")

            let missing = try BuiltBinary.xj(["report", "nosuch", "-o", "other.html"], in: folder)
            #expect(missing.status == 1 && missing.stderr.contains("nosuch"))
            #expect(!FileManager.default.fileExists(atPath: folder + "/other.html"))
            let opened = try BuiltBinary.xj(["report", "--open"], in: folder)
            let path = opened.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(path.hasSuffix(".html") && FileManager.default.fileExists(atPath: path))
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// A line with more experiments than `--table-rows` shows the best of them and says how many
    /// there are; a bad count is refused by name and writes nothing.
    @Test func aLongLineShowsItsBestExperimentsAndSaysHowManyThereAre() throws {
        try withScratchDirectory { folder in
            try judgedJournal(folder)
            let result = try BuiltBinary.xj(["report", "hypothesis/small-lr", "--table-rows", "4", "-o", "report.html"], in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            let page = try XMLNode.parse(try String(contentsOfFile: folder + "/report.html", encoding: .utf8))
            let table = try #require(page.all("table", class: "experiments").first)
            #expect(table.all("tbody").flatMap { $0.all("tr") }.count == 4, "four rows of nine")
            #expect(page.allText.contains("The 4 with the lowest validation loss of 9 experiments"))
            // The four shown are the four best of the nine, as `xj runs` sorts them.
            let runs = try BuiltBinary.xj(["runs", "--on", "hypothesis/small-lr", "--sort", "val_loss", "-n", "4", "--json"], in: folder)
            let best = try #require(try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]]).compactMap { $0["experiment"] as? String }
            let shownIDs = table.all("code").compactMap { $0.attributes["title"] }.filter { $0.count == 40 }
            #expect(Set(shownIDs) == Set(best), "\(shownIDs) vs \(best)")
            let all = try BuiltBinary.xj(["report", "hypothesis/small-lr", "-o", "all.html"], in: folder)
            #expect(all.status == 0)
            #expect(!(try String(contentsOfFile: folder + "/all.html", encoding: .utf8)).contains("shows more"), "nine rows fit the default")
            for bad in ["0", "-3", "many"] {
                let refused = try BuiltBinary.xj(["report", "--table-rows", bad, "-o", "bad.html"], in: folder)
                #expect(refused.status != 0 && refused.stderr.contains("--table-rows"), "\(bad): \(refused.stderr)")
                #expect(!FileManager.default.fileExists(atPath: folder + "/bad.html"))
            }
        }
    }

    /// Headless chromium renders the report: the screenshot is not blank and the DOM shows the verdict.
    @Test func reportRendersInChromium() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            throw ReportTestError(description: "chromium is not installed: run scripts/test (scripts/install-test-tools installs it)")
        }
        try withScratchDirectory { folder in
            try judgedJournal(folder)
            _ = try BuiltBinary.xj(["report", "main", "hypothesis/small-lr", "-o", "report.html"], in: folder)
            let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(folder)/profile"]
            let url = "file://\(folder)/report.html"
            let shot = try BuiltBinary.run(chromium, common + ["--window-size=1200,1800", "--screenshot=\(folder)/report.png", url], in: folder)
            #expect(shot.status == 0, "\(shot.stderr)")
            let image = try PNGImage(contentsOf: folder + "/report.png")
            #expect(image.width == 1200 && image.height == 1800)
            #expect(image.luminanceVariance > 200, "a blank page has variance 0; text, tables and plots give far more")
            let dom = try BuiltBinary.run(chromium, common + ["--dump-dom", url], in: folder)
            #expect(dom.stdout.contains("SUPPORTED"))
            #expect(dom.stdout.contains("A learning rate of 0.01 beats 0.0001 in three epochs"))
            #expect(dom.stdout.contains("<svg"))
        }
    }

    /// Issue 16 §6: a report of two datasets and a categorical sweep keeps the datasets apart, labels
    /// the categories, names only parameters that apply, and fits 1280 px (wide tables scroll inside).
    @Test func aReportOfTwoDatasetsKeepsThemApart() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            throw ReportTestError(description: "chromium is not installed: run scripts/test (scripts/install-test-tools installs it)")
        }
        try withScratchDirectory { folder in
            func xj(_ arguments: [String]) throws {
                let result = try BuiltBinary.xj(arguments, in: folder)
                guard result.status == 0 else { throw ReportTestError(description: "xj \(arguments.joined(separator: " ")): \(result.stderr)") }
            }
            let concrete = URL(fileURLWithPath: Fixtures.digitsPath).deletingLastPathComponent().path + "/uci/concrete.csv"
            try xj(["init"])
            try xj(["add", Fixtures.digitsPath, "--name", "digits", "--label", "target"])
            try xj(["add", concrete, "--name", "concrete", "--label", "y"])
            try xj(["commit", "-m", "two datasets"])
            for data in ["digits", "concrete"] {
                try xj(["grid", "--data", data, "--model", "mlp", "hidden=8", "epochs=2", "optimizer=adam,sgd", "seed=1,2"])
            }
            // One run with a parameter the others do not have: its label must not give the others `dropout=-`.
            try xj(["train", "--data", "digits", "hidden=8", "epochs=2", "optimizer=adam", "seed=3", "dropout=0.2"])
            try xj(["commit", "-m", "one with dropout"])

            let plot = try BuiltBinary.xj(["plot", "--grid", "optimizer", "--metric", "val_loss"], in: folder)
            #expect(plot.status == 0, "\(plot.stderr)")
            let svg = try XMLNode.parse(plot.stdout)
            let titles = svg.all("text", class: "title").map(\.allText)
            #expect(titles.contains { $0.hasSuffix("— digits") } && titles.contains { $0.hasSuffix("— concrete") }, "one panel per dataset: \(titles)")
            let ticks = svg.all("text", class: "tick").map(\.allText)
            #expect(ticks.contains("adam") && ticks.contains("sgd") && !ticks.contains("1.5"), "a categorical axis names its values: \(ticks)")
            let legend = svg.all("text", class: "legend-label").map(\.allText)
            #expect(!legend.contains { $0.contains("=-") }, "\(legend)")

            let parallel = try BuiltBinary.xj(["plot", "--parallel", "optimizer", "seed", "--metric", "val_loss", "--json"], in: folder)
            #expect(parallel.status == 0, "\(parallel.stderr)")
            let groups = (try JSONSerialization.jsonObject(with: Data(parallel.stdout.utf8)) as? [String: Any])?["groups"] as? [[String: Any]]
            #expect(Set(groups?.compactMap { $0["dataset"] as? String } ?? []) == ["digits", "concrete"])

            _ = try BuiltBinary.xj(["report", "main", "-o", "report.html"], in: folder)
            let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
            #expect(html.components(separatedBy: "<table").count - 1 == html.components(separatedBy: "<div class=\"scroll\"><table").count - 1,
                    "every table scrolls inside the page")
            #expect(!html.contains("=-<") && !html.contains("=- "), "no label names a parameter an experiment lacks")
            let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(folder)/profile"]
            let url = "file://\(folder)/report.html"
            let shot = try BuiltBinary.run(chromium, common + ["--window-size=1280,1600", "--screenshot=\(folder)/report.png", url], in: folder)
            #expect(shot.status == 0, "\(shot.stderr)")
            let image = try PNGImage(contentsOf: folder + "/report.png")
            #expect(image.width == 1280 && image.luminanceVariance > 200)
            let dom = try BuiltBinary.run(chromium, common + ["--dump-dom", url], in: folder).stdout
            #expect(dom.contains("<th>dataset</th><th>status</th>"))
            #expect(dom.contains("— digits") && dom.contains("— concrete"), "curves and the sweep plot are drawn per dataset")
            #expect(dom.contains(">concrete</td>") && dom.contains(">digits</td>"))
        }
    }
}
