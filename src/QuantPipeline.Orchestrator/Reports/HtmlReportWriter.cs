using System.Globalization;
using System.Net;
using System.Text;
using QuantPipeline.Orchestrator.Gate;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Orchestrator.Reports;

/// <summary>
/// Writes a <see cref="ReportDocument"/> as one self-contained HTML file: inline CSS, charts as base64 PNG data
/// URIs, no scripts and no external references, so it opens the same in any browser, offline or mailed. The markup
/// is well-formed XML (every element closed, every text escaped), which keeps it parseable by plain tools.
/// Parts the document does not give are left out, with their entry in the contents.
/// </summary>
public static class HtmlReportWriter
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;background:#f6f7f9;color:#1d2329}
        main{max-width:1040px;margin:0 auto;padding:24px}
        h1{font-size:1.6em;margin:0 0 4px}
        h2{font-size:1.2em;margin:0 0 12px;border-bottom:1px solid #d8dde3;padding-bottom:4px}
        section{background:#fff;border:1px solid #e1e5ea;border-radius:6px;padding:16px 20px;margin:16px 0}
        .meta{color:#5b6570;margin:0}
        nav{margin:12px 0 0;font-size:.92em}
        nav a{margin-right:14px;color:#1f5fa8;text-decoration:none}
        table{border-collapse:collapse;width:100%;font-size:.92em}
        th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #edf0f3;vertical-align:top}
        th{background:#f0f3f6;font-weight:600}
        td.num{text-align:right;font-variant-numeric:tabular-nums}
        .verdict{display:inline-block;font-weight:700;padding:4px 12px;border-radius:4px;margin:0 0 12px}
        .pass{background:#dff3e4;color:#17692e}
        .fail{background:#fbe2e2;color:#a11d1d}
        dl.figures{display:grid;grid-template-columns:max-content auto;gap:4px 16px;margin:0 0 12px}
        dl.figures dt{color:#5b6570}
        dl.figures dd{margin:0;font-variant-numeric:tabular-nums}
        figure{margin:8px 0 16px}
        figure img{max-width:100%;height:auto;border:1px solid #edf0f3}
        figcaption{color:#5b6570;font-size:.88em}
        pre{background:#f0f3f6;padding:12px;overflow-x:auto;font-size:.85em;white-space:pre-wrap}
        """;

    /// <summary>Writes the report atomically (temporary file, then rename) and returns the full path.</summary>
    public static string Write(ReportDocument document, string path)
    {
        ArgumentNullException.ThrowIfNull(document);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        AtomicFile.WriteAllText(full, Render(document));
        return full;
    }

    public static string Render(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var sections = new List<(string Id, string Heading, string Body)>();
        if (document.Gate is { } gate)
        {
            sections.Add(("gate", "Gate decision", GateSection(gate)));
        }

        if (document.Metrics.Count > 0)
        {
            sections.Add(("metrics", "Metrics", Table(["metric", "value"], document.Metrics.Select(m => new[] { Cell(m.Key), Num(Number(m.Value)) }))));
        }

        if (document.NetReturns is { Values.Count: > 0 } returns)
        {
            sections.Add(("performance", "Equity and drawdown", PerformanceSection(returns)));
        }

        if (IcSection(document) is { } ic)
        {
            sections.Add(("ic", "Information coefficient over time", ic));
        }

        if (MonitoringSection(document) is { } monitoring)
        {
            sections.Add(("monitoring", "Monitoring", monitoring));
        }

        if (document.Stages.Count > 0)
        {
            sections.Add(("stages", "Stages", StageTable(document.Stages)));
        }

        for (var i = 0; i < document.Tables.Count; i++)
        {
            var table = document.Tables[i];
            sections.Add(($"table-{i + 1}", table.Title, Table(table.Columns, table.Rows.Select(r => r.Select(Cell).ToArray()))));
        }

        if (document.Lineage.Count > 0)
        {
            sections.Add(("lineage", "Lineage", Table(["field", "value"], document.Lineage.Select(l => new[] { Cell(l.Key), Cell(l.Value) }))));
        }

        if (document.ConfigText is not null)
        {
            sections.Add(("configuration", "Configuration", "<pre>" + E(document.ConfigText) + "</pre>"));
        }

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><title>")
            .Append(E(document.Title)).Append("</title><style>").Append(Style).Append("</style></head><body><main><header><h1>")
            .Append(E(document.Title)).Append("</h1><p class=\"meta\">Generated ")
            .Append(document.GeneratedUtc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        if (document.RunId is not null)
        {
            html.Append(" · run <code>").Append(E(document.RunId)).Append("</code>");
        }

        html.Append("</p>");
        if (sections.Count > 0)
        {
            html.Append("<nav>");
            foreach (var (id, heading, _) in sections)
            {
                html.Append("<a href=\"#").Append(id).Append("\">").Append(E(heading)).Append("</a>");
            }

            html.Append("</nav>");
        }

        html.Append("</header>");
        foreach (var (id, heading, body) in sections)
        {
            html.Append("\n<section id=\"").Append(id).Append("\"><h2>").Append(E(heading)).Append("</h2>").Append(body).Append("</section>");
        }

        html.Append("\n</main></body></html>\n");
        return html.ToString();
    }

    private static string GateSection(GateDecision gate)
    {
        var body = new StringBuilder();
        body.Append("<p class=\"verdict ").Append(gate.Passed ? "pass" : "fail").Append("\" data-figure=\"gate\">")
            .Append(gate.Passed ? "PASS" : "FAIL").Append("</p>");
        body.Append(Table(
            ["rule", "value", "condition", "threshold", "result"],
            gate.Rules.Select(r => new[]
            {
                Cell(r.Name),
                Num(double.IsNaN(r.Value) ? "not measured" : Number(r.Value)),
                Cell(r.Comparison),
                Num(Number(r.Threshold)),
                r.Passed ? "<td class=\"pass\">pass</td>" : "<td class=\"fail\">FAIL</td>",
            })));
        return body.ToString();
    }

    private static string PerformanceSection(ReportSeries returns)
    {
        var curve = EquityCurve.From(returns);
        var body = new StringBuilder("<dl class=\"figures\">");
        Figure(body, "periods", "Periods", curve.Equity.Length.ToString(CultureInfo.InvariantCulture));
        Figure(body, "from", "From", Date(curve.Dates[0]));
        Figure(body, "to", "To", Date(curve.Dates[^1]));
        Figure(body, "final_equity", "Final equity (start 1)", curve.FinalEquity.ToString("0.0000", CultureInfo.InvariantCulture));
        Figure(body, "total_return", "Total return", Percent(curve.TotalReturn));
        Figure(body, "max_drawdown", "Maximum drawdown", Percent(curve.MaxDrawdown.Depth));
        if (curve.TroughDate is { } trough)
        {
            Figure(body, "drawdown_peak", "Drawdown peak", curve.PeakDate is { } peak ? Date(peak) : "start");
            Figure(body, "drawdown_trough", "Drawdown trough", Date(trough));
            Figure(body, "drawdown_recovery", "Recovered", curve.RecoveryDate is { } r ? Date(r) : "not yet");
        }

        body.Append("</dl>");
        Image(body, "equity", ReportCharts.Equity(curve), $"Equity from '{returns.Name}': compounded simple returns, starting at 1.");
        Image(body, "drawdown", ReportCharts.Drawdown(curve), "Drawdown: equity over its running peak (the starting capital included), minus 1.");
        return body.ToString();
    }

    private static string? IcSection(ReportDocument document)
    {
        var body = new StringBuilder();
        var any = false;
        foreach (var (series, key, label) in new[] { (document.Ic, "ic", "IC"), (document.RankIc, "rank_ic", "Rank IC") })
        {
            if (series is null || series.Values.Count == 0)
            {
                continue;
            }

            var png = ReportCharts.WithRollingMean(series, document.IcRollingWindow, $"{label} per period ({series.Name})");
            if (png is null)
            {
                continue;
            }

            var finite = series.Values.Where(double.IsFinite).ToArray();
            body.Append("<dl class=\"figures\">");
            Figure(body, key + "_mean", $"Mean {label}", finite.Average().ToString("0.0000", CultureInfo.InvariantCulture));
            Figure(body, key + "_periods", "Periods with a value", finite.Length.ToString(CultureInfo.InvariantCulture));
            body.Append("</dl>");
            Image(body, key, png, string.Create(CultureInfo.InvariantCulture, $"{label} per period (thin) and its trailing {document.IcRollingWindow}-period mean (bold)."));
            any = true;
        }

        return any ? body.ToString() : null;
    }

    private static string? MonitoringSection(ReportDocument document)
    {
        var png = document.Psi.Count == 0 ? null : ReportCharts.Psi(document.Psi, document.PsiWarn, document.PsiAlert);
        if (png is null && document.DriftTable is null)
        {
            return null;
        }

        var body = new StringBuilder();
        if (document.MonitoringSummary is not null)
        {
            body.Append("<p>").Append(E(document.MonitoringSummary)).Append("</p>");
        }

        if (png is not null)
        {
            Image(body, "psi", png, string.Create(CultureInfo.InvariantCulture, $"PSI per feature over time; dashed lines at warn {document.PsiWarn:0.###} and alert {document.PsiAlert:0.###}."));
            body.Append(Table(
                ["series", "latest date", "latest PSI", "level", "max PSI"],
                document.Psi.Select(s =>
                {
                    var last = LastFinite(s);
                    var max = s.Values.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
                    var level = last is null ? "n/a" : last.Value.Value >= document.PsiAlert ? "alert" : last.Value.Value >= document.PsiWarn ? "warn" : "ok";
                    return new[] { Cell(s.Name), Cell(last is null ? "n/a" : Date(last.Value.Date)), Num(last is null ? "n/a" : Number(last.Value.Value)), Cell(level), Num(Number(max)) };
                })));
        }

        if (document.DriftTable is { } drift)
        {
            body.Append("<h3>").Append(E(drift.Title)).Append("</h3>");
            body.Append(Table(drift.Columns, drift.Rows.Select(r => r.Select(Cell).ToArray())));
        }

        return body.ToString();
    }

    private static string StageTable(IReadOnlyList<StageRecord> stages) => Table(
        ["stage", "status", "started (UTC)", "seconds", "detail", "error"],
        stages.Select(s => new[]
        {
            Cell(s.Stage),
            Cell(s.Status),
            Cell(s.StartedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
            Num(s.Seconds.ToString("0.000", CultureInfo.InvariantCulture)),
            Cell(s.Detail),
            Cell(s.Error ?? string.Empty),
        }));

    private static (DateOnly Date, double Value)? LastFinite(ReportSeries series)
    {
        for (var i = Math.Min(series.Values.Count, series.Dates.Count) - 1; i >= 0; i--)
        {
            if (double.IsFinite(series.Values[i]))
            {
                return (series.Dates[i], series.Values[i]);
            }
        }

        return null;
    }

    private static void Figure(StringBuilder body, string key, string label, string value) =>
        body.Append("<dt>").Append(E(label)).Append("</dt><dd data-figure=\"").Append(key).Append("\">").Append(E(value)).Append("</dd>");

    private static void Image(StringBuilder body, string key, byte[] png, string caption) =>
        body.Append("<figure><img data-chart=\"").Append(key).Append("\" alt=\"").Append(E(caption)).Append("\" width=\"")
            .Append(ReportCharts.Width.ToString(CultureInfo.InvariantCulture)).Append("\" height=\"")
            .Append(ReportCharts.Height.ToString(CultureInfo.InvariantCulture)).Append("\" src=\"data:image/png;base64,")
            .Append(Convert.ToBase64String(png)).Append("\"/><figcaption>").Append(E(caption)).Append("</figcaption></figure>");

    /// <summary>Cells are passed in as finished &lt;td&gt; elements so a column can carry a class.</summary>
    private static string Table(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var html = new StringBuilder("<table><thead><tr>");
        foreach (var column in columns)
        {
            html.Append("<th>").Append(E(column)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append(cell);
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    private static string Cell(string text) => "<td>" + E(text) + "</td>";

    private static string Num(string text) => "<td class=\"num\">" + E(text) + "</td>";

    private static string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("+0.00%;-0.00%;0.00%", CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
