import Foundation
import Journal
import JournalStore

/// The report: one self-contained HTML page (inline CSS, SVG and a few lines of script, nothing
/// fetched) per set of lines of inquiry. Written as well-formed XHTML-compatible markup, so any
/// XML parser reads it too.
public enum ReportPage {
    /// Learning curves drawn per line of inquiry, at most (the lowest validation losses).
    static let curveLimit = 8
    /// Experiments in a line's table, at most, unless asked otherwise: a line of 100,000 experiments
    /// would otherwise make a 70 MB page no browser shows.
    public static let defaultTableRows = 500

    public static func html(_ lines: [ReportLine], generated: Date = Date(), tableRows: Int = defaultTableRows) -> String {
        let names = lines.map(\.branch).joined(separator: ", ")
        var page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>xj report: \(Markup.escape(names))</title>
        <style>\(style)</style>
        </head>
        <body>
        <header><h1>xj report</h1><p class="meta">Lines of inquiry: \(Markup.escape(names)) · generated \(Markup.escape(RunTimestamp.string(generated))) by xj \(XJVersion.current) · every number links to the commit or object it came from</p></header>

        """
        for line in lines { page += section(line, tableRows: tableRows) }
        page += "<script>\(script)</script>\n</body>\n</html>\n"
        return page
    }

    static func anchor(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
    }

    static func commitLink(_ id: CommitID) -> String {
        "<a class=\"commit\" href=\"#commit-\(id.hex)\" title=\"\(id.hex)\"><code>\(id.short)</code></a>"
    }

    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return String(format: "%.4g", value)
    }

    static func section(_ line: ReportLine, tableRows: Int) -> String {
        let id = anchor(line.branch)
        var html = "<section class=\"line\" id=\"line-\(id)\">\n<h2>Line of inquiry <code>\(Markup.escape(line.branch))</code></h2>\n"
        html += "<p class=\"meta\">Tip \(commitLink(line.tip.id)) · \(line.experimentCount) experiments · \(line.commits.count) commits</p>\n"
        if let hypothesis = line.hypothesis { html += hypothesisSection(hypothesis, line: line) }
        html += experimentsTable(line, limit: tableRows)
        html += curves(line)
        html += grid(line)
        html += provenance(line)
        html += commitsList(line)
        return html + "</section>\n"
    }

    /// A p-value with the digits it needs not to cross α when rounded.
    static func pValue(_ p: Double?, alpha: Double?) -> String {
        guard let p else { return "" }
        return PValueFormat.text(p, alpha: alpha ?? 0.05)
    }

    static func hypothesisSection(_ hypothesis: Hypothesis, line: ReportLine) -> String {
        let status = hypothesis.status
        var html = "<div class=\"hypothesis\">\n<h3>Hypothesis <code>\(Markup.escape(hypothesis.name))</code>: <span class=\"verdict \(status)\">\(status.uppercased())</span></h3>\n"
        html += "<blockquote>\(Markup.escape(statement(hypothesis)))</blockquote>\n"
        let verdicts = hypothesis.verdict?["predictions"]?.arrayValue ?? []
        html += "<div class=\"scroll\"><table class=\"predictions\">\n<thead><tr><th>prediction</th><th>verdict</th><th>left</th><th>right</th><th>margin</th><th>left − right</th><th>one-sided bound</th><th>t</th><th>df</th><th>p (as predicted)</th><th>p (opposite)</th><th>why</th></tr></thead>\n<tbody>\n"
        for prediction in hypothesis.predictions {
            let verdict = verdicts.first { $0["prediction"]?.stringValue == prediction.text }
            let result = verdict?["status"]?.stringValue ?? "open"
            let bound = verdict?["bound"]
            html += "<tr><td><code>\(Markup.escape(prediction.text))</code></td><td class=\"verdict \(result)\">\(result)</td>"
            html += "<td>\(number(verdict?["left"]?.numberValue)) <span class=\"n\">\(verdict?["n_left"].map { "n=\($0.displayText)" } ?? "")</span></td>"
            html += "<td>\(number(verdict?["right"]?.numberValue)) <span class=\"n\">\(verdict?["n_right"].map { "n=\($0.displayText)" } ?? "")</span></td>"
            html += "<td>\(number(verdict?["margin"]?.numberValue))</td><td>\(number(verdict?["difference"]?.numberValue))</td>"
            let boundText = bound.map { "\($0["side"]?.stringValue == "upper" ? "&lt;" : "&gt;") \(number($0["value"]?.numberValue)) (\(Int((($0["level"]?.numberValue ?? 0.95) * 100).rounded()))%)" } ?? ""
            html += "<td>\(boundText)</td>"
            html += "<td>\(number(verdict?["t"]?.numberValue))</td><td>\(number(verdict?["df"]?.numberValue))</td>"
            html += "<td>\(pValue(verdict?["p"]?.numberValue, alpha: hypothesis.verdict?["alpha"]?.numberValue))</td><td>\(pValue(verdict?["p_opposite"]?.numberValue, alpha: hypothesis.verdict?["alpha"]?.numberValue))</td>"
            html += "<td>\(Markup.escape(verdict?["reason"]?.stringValue ?? "no verdict recorded yet"))</td></tr>\n"
        }
        html += "</tbody>\n</table></div>\n"
        if !verdicts.isEmpty { html += reviewTable(hypothesis.predictions, verdicts: verdicts) }
        if let verdict = hypothesis.verdict {
            let commit = line.commits.first { $0.commit.message.hasPrefix("verdict on ") }?.commit.id
            let looks = verdict["looks"]?.arrayValue?.count ?? 1
            html += "<p class=\"meta\">Verdict \(status) at α = \(verdict["alpha"]?.displayText ?? "?") from \(verdict["experiments"]?.displayText ?? "?") experiments" +
                (commit.map { ", recorded in \(commitLink($0))" } ?? "") + "; look \(looks) at this hypothesis" +
                (verdict["sequential"]?.boolValue == true ? " (sequential: an always-valid test)" : "") +
                ". Each row names its test; Docs/Statistics.md gives the formulas.</p>\n"
            if let warning = verdict["warning"]?.stringValue { html += "<p class=\"meta warning\">Warning: \(Markup.escape(warning))</p>\n" }
        } else {
            html += "<p class=\"meta\">No verdict yet: <code>xj verdict</code> judges the predictions from the recorded experiments.</p>\n"
        }
        return html + "</div>\n"
    }

    /// What a reviewer asks for, one row per prediction: the test, the intervals, the effect size, the
    /// probability of improvement, the power, Holm and the sequential test (from verdict.json).
    static func reviewTable(_ predictions: [Prediction], verdicts: [JSONValue]) -> String {
        func interval(_ value: JSONValue?) -> String {
            guard let value, let low = value["low"]?.numberValue, let high = value["high"]?.numberValue else { return "" }
            return "[\(number(low)), \(number(high))]"
        }
        var html = "<div class=\"scroll\"><table class=\"predictions review\">\n<thead><tr><th>prediction</th><th>test</th><th>groups (mean ± sd, IQM)</th><th>CI of left − right: t</th><th>CI: BCa bootstrap</th>" +
            "<th>effect size</th><th>P(left &gt; right)</th><th>power (n for 0.8)</th><th>Holm: adjusted p (α)</th><th>sequential</th></tr></thead>\n<tbody>\n"
        for prediction in predictions {
            guard let verdict = verdicts.first(where: { $0["prediction"]?.stringValue == prediction.text }) else { continue }
            func group(_ name: String) -> String {
                guard let group = verdict["groups"]?[name] else { return "" }
                return "\(number(group["mean"]?.numberValue)) ± \(number(group["sd"]?.numberValue)), IQM \(number(group["iqm"]?.numberValue)) (n=\(group["n"]?.displayText ?? "?"))"
            }
            let groups = [group("left"), group("right")].filter { !$0.isEmpty }.joined(separator: "<br>")
            let effect = verdict["hedges_g"].map { "g = \(number($0.numberValue))" } ?? verdict["d_z"].map { "d_z = \(number($0.numberValue))" } ?? ""
            let superiority = verdict["p_superiority"].map { "\(number($0["p_left_greater"]?.numberValue)) \(interval($0))" } ?? ""
            let power = verdict["power"].map { "\(number($0.numberValue))" + (verdict["n_for_power_0.8"].map { " (\($0.displayText))" } ?? "") } ?? ""
            let holm = verdict["holm"].map { "\(number($0["adjusted_p"]?.numberValue)) (\(number($0["alpha"]?.numberValue)))" } ?? ""
            let sequential = verdict["sequential"].map { "e = \(number($0["e_value"]?.numberValue)): \(Markup.escape($0["decision"]?.stringValue ?? ""))" } ?? ""
            let test = (verdict["test"]?.stringValue ?? "") + (verdict["paired"]?.boolValue == true ? " (paired by seed)" : "")
            html += "<tr><td><code>\(Markup.escape(prediction.text))</code></td><td>\(Markup.escape(test))</td><td>\(groups)</td><td>\(interval(verdict["ci_t"]))</td>" +
                "<td>\(interval(verdict["ci_bootstrap"]))</td><td>\(effect)</td><td>\(superiority)</td><td>\(power)</td><td>\(holm)</td><td>\(sequential)</td></tr>\n"
        }
        return html + "</tbody>\n</table></div>\n"
    }

    /// The statement alone: hypothesis.md without its title and its list of predictions (shown in the table).
    static func statement(_ hypothesis: Hypothesis) -> String {
        var lines: [Substring] = []
        for line in hypothesis.statement.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { break }
            if !line.hasPrefix("# ") { lines.append(line) }
        }
        return lines.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    static let headlineMetrics = ["val_accuracy", "val_loss", "train_loss", "val_r2", "val_mae"]

    /// The line's dataset trees by name, for tables and plot panels.
    static func datasetNames(_ line: ReportLine) -> [TreeID: String] { ReportLine.datasetNames(line.datasets) }

    /// - Parameter limit: at most this many rows, the experiments with the lowest validation loss
    ///   (the line's experiments are sorted so); the note says how many there are.
    static func experimentsTable(_ line: ReportLine, limit: Int) -> String {
        guard line.experimentCount > 0 else { return "<p>No experiments committed on this line of inquiry.</p>\n" }
        let shown = line.detailed.prefix(limit)
        let varying = ExperimentLabels.varyingParameters(Array(shown))
        let metrics = headlineMetrics.filter { name in shown.contains { $0.metrics[name] != nil } }
        let names = datasetNames(line)
        let scope = shown.count < line.experimentCount
            ? "The \(shown.count) with the lowest validation loss of \(line.experimentCount) experiments (<code>xj runs --on \(Markup.escape(line.branch)) --csv</code> lists every one; <code>xj report --table-rows N</code> shows more). "
            : ""
        var html = "<h3>Experiments</h3>\n<p class=\"meta\">\(scope)Click a column to sort. Parameters shown are those that vary; <code>xj show ID</code> gives the rest.</p>\n"
        html += "<div class=\"scroll\"><table class=\"experiments sortable\">\n<thead><tr><th>experiment</th><th>commit</th><th>dataset</th><th>status</th>"
        html += varying.map { "<th>\(Markup.escape($0))</th>" }.joined() + metrics.map { "<th>\($0)</th>" }.joined() + "<th>checks</th></tr></thead>\n<tbody>\n"
        for experiment in shown {
            html += "<tr id=\"experiment-\(experiment.id.hex)\"><td><code title=\"\(experiment.id.hex)\">\(experiment.id.short)</code></td>"
            html += "<td>\(line.recordedIn[experiment.id].map(commitLink) ?? "")</td>"
            let dataset = experiment.datasetID.map { names[$0] ?? "dataset " + $0.short } ?? "(program)"
            let status = experiment.run["status"]?.stringValue ?? "ok"
            html += "<td>\(Markup.escape(dataset))</td><td class=\"status \(Markup.escape(status))\">\(Markup.escape(status))</td>"
            for key in varying {
                let value = experiment.params[key]
                html += "<td data-value=\"\(Markup.escape(value?.numberValue.map { String($0) } ?? value?.displayText ?? ""))\">\(Markup.escape(value?.displayText ?? "–"))</td>"
            }
            for metric in metrics {
                let value = experiment.metrics[metric]?.numberValue
                html += "<td data-value=\"\(value.map { String($0) } ?? "")\">\(number(value))</td>"
            }
            let flagged = RecordedCheck.flagged(experiment.checks)
            let tip = experiment.checks.filter { $0.status == "fail" || $0.status == "warn" }.map { "\($0.code) \($0.title): \($0.message)" }.joined(separator: "\n")
            html += "<td title=\"\(Markup.escape(tip))\">\(Markup.escape(experiment.checks.isEmpty ? "–" : (flagged.isEmpty ? "all pass" : flagged)))</td></tr>\n"
        }
        return html + "</tbody>\n</table></div>\n"
    }

    static func curves(_ line: ReportLine) -> String {
        // The lowest validation losses of each dataset (the line read those): datasets apart.
        let groups = DatasetGroups.split(line.drawnCurves.filter { !$0.curves.isEmpty }, names: datasetNames(line))
        let shown = groups.flatMap { $0.experiments.prefix(curveLimit) }
        guard !shown.isEmpty, let (figure, _) = try? CurvePlot.figure(shown, datasetNames: datasetNames(line)) else { return "" }
        let note = shown.count < line.experimentsWithCurves
            ? "The \(curveLimit) experiments with the lowest validation loss\(groups.count > 1 ? " on each dataset" : "") of \(line.experimentsWithCurves)."
            : "Every experiment with a recorded curve\(groups.count > 1 ? ", one set of panels per dataset" : "")."
        return "<h3>Learning curves</h3>\n<p class=\"meta\">\(note)</p>\n<figure class=\"plot curves\">\(figure.svg)</figure>\n"
    }

    /// The grid plot of the sweep on the line (GridPlot.sweptParameters), the metric val_loss.
    static func grid(_ line: ReportLine) -> String {
        let columns = line.columns
        guard let first = line.order.first else { return "" }
        var metric = columns.recordedMetricNames.contains("val_loss") ? "val_loss" : (columns.metrics(ofRow: first).keys.sorted().first ?? "val_loss")
        var chosen: [String] = []
        // On a hypothesis's line, the sweep its predictions compare, over their first metric.
        if let predictions = line.hypothesis?.predictions, let first = predictions.first {
            metric = first.left.metric
            var keys = Set<String>()
            for prediction in predictions {
                keys.formUnion(prediction.left.selector.keys)
                if case let .side(side, _) = prediction.right { keys.formUnion(side.selector.keys) }
            }
            chosen = GridPlot.sweptParameters(columns, rows: line.order, metric: metric, among: keys)
        }
        if chosen.isEmpty { chosen = GridPlot.sweptParameters(columns, rows: line.order, metric: metric) }
        guard !chosen.isEmpty else { return "" }
        guard let (figure, _) = try? GridPlot.figure(columns, rows: line.order, parameters: chosen, metric: metric, datasetNames: datasetNames(line)) else { return "" }
        return "<h3>\(Markup.escape(metric)) over \(Markup.escape(chosen.joined(separator: " and ")))</h3>\n" +
            "<p class=\"meta\">Means over seeds and repeats, each dataset apart; <code>xj plot --grid \(Markup.escape(chosen.joined(separator: " "))) --metric \(metric) --on \(Markup.escape(line.branch))</code> draws it alone.</p>\n" +
            "<figure class=\"plot grid\">\(figure.svg)</figure>\n"
    }

    static func provenance(_ line: ReportLine) -> String {
        guard !line.datasets.isEmpty else { return "" }
        var html = "<h3>Data provenance</h3>\n<div class=\"scroll\"><table class=\"datasets\">\n<thead><tr><th>dataset</th><th>id (tree)</th><th>data blob</th><th>format</th><th>rows</th><th>columns</th><th>label</th><th>task</th><th>classes</th><th>bytes</th></tr></thead>\n<tbody>\n"
        for dataset in line.datasets {
            let manifest = dataset.manifest
            html += "<tr><td>\(Markup.escape(dataset.name ?? "(unnamed)"))</td><td><code title=\"\(dataset.id.hex)\">\(dataset.id.short)</code></td>"
            html += "<td><code title=\"\(dataset.data.hex)\">\(dataset.data.short)</code></td><td>\(manifest.format.rawValue)</td><td>\(manifest.rows)</td>"
            html += "<td>\(manifest.columns.count)</td><td>\(Markup.escape(manifest.label))</td><td>\(manifest.task.rawValue)</td>"
            html += "<td>\(manifest.task == .classification ? String(manifest.classes.count) : "–")</td><td>\(manifest.bytes)</td></tr>\n"
        }
        return html + "</tbody>\n</table></div>\n"
    }

    static func commitsList(_ line: ReportLine) -> String {
        var html = "<h3>Commits</h3>\n<ol class=\"commits\">\n"
        for record in line.commits {
            let subject = record.note.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            html += "<li id=\"commit-\(record.commit.id.hex)\"><code>\(record.commit.id.hex)</code> \(Markup.escape(RunTimestamp.string(record.commit.author.date).prefix(16).replacingOccurrences(of: "T", with: " "))) "
            html += "<strong>\(Markup.escape(subject))</strong> <span class=\"meta\">\(Markup.escape(record.changeSummary))</span></li>\n"
        }
        if line.omittedCommits > 0 { html += "<li>… \(line.omittedCommits) older commits (<code>xj log</code>)</li>\n" }
        return html + "</ol>\n"
    }

    // No "<" or "&" in the style and script, so the page stays well-formed XML.
    static let style = """
    body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1120px; color: #222; }
    h1 { margin-bottom: 4px; } h2 { border-bottom: 2px solid #0072B2; padding-bottom: 4px; margin-top: 36px; }
    .meta { color: #666; font-size: 13px; }
    table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
    div.scroll { overflow-x: auto; max-width: 100%; } div.scroll table { margin-right: 2px; }
    .status.failed, .status.diverged { color: #b3261e; font-weight: bold; }
    th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: left; }
    th { background: #f3f6f9; } table.sortable th { cursor: pointer; } table.sortable th:hover { background: #e2ebf3; }
    th[data-order="asc"]::after { content: " ▲"; } th[data-order="desc"]::after { content: " ▼"; }
    td[data-value] { text-align: right; font-variant-numeric: tabular-nums; } table.experiments td:last-child { white-space: nowrap; }
    blockquote { border-left: 4px solid #ccc; margin: 8px 0; padding: 4px 12px; font-style: italic; }
    .verdict { font-weight: bold; } .supported { color: #007a4d; } .falsified { color: #b3261e; } .mixed { color: #a05a00; } .inconclusive, .open, .ambiguous { color: #666; }
    .n { color: #888; font-size: 11px; } figure { margin: 8px 0; } figure svg { max-width: 100%; height: auto; }
    a.commit { text-decoration: none; } ol.commits { font-size: 13px; } ol.commits code { font-size: 11px; color: #555; }
    """

    static let script = """
    document.querySelectorAll('table.sortable').forEach(function (table) {
      Array.from(table.tHead.rows[0].cells).forEach(function (header, column) {
        header.addEventListener('click', function () {
          var body = table.tBodies[0];
          var ascending = header.getAttribute('data-order') !== 'asc';
          function key(row) {
            var cell = row.cells[column];
            var text = cell.hasAttribute('data-value') ? cell.getAttribute('data-value') : cell.textContent.trim();
            var number = parseFloat(text);
            return isNaN(number) ? [1, text] : [0, number];
          }
          var rows = Array.from(body.rows).sort(function (a, b) {
            var x = key(a), y = key(b);
            var order = x[0] !== y[0] ? x[0] - y[0] : (x[1] > y[1] ? 1 : (y[1] > x[1] ? -1 : 0));
            return ascending ? order : -order;
          });
          rows.forEach(function (row) { body.appendChild(row); });
          Array.from(table.tHead.rows[0].cells).forEach(function (cell) { cell.removeAttribute('data-order'); });
          header.setAttribute('data-order', ascending ? 'asc' : 'desc');
        });
      });
    });
    """
}
