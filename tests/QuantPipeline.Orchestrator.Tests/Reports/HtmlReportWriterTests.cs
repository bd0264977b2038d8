using System.Globalization;
using System.Xml.Linq;
using QuantPipeline.Orchestrator.Gate;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Orchestrator.Reports;

namespace QuantPipeline.Orchestrator.Tests.Reports;

public sealed class HtmlReportWriterTests : IDisposable
{
    private static readonly DateOnly Start = new(2024, 1, 2);

    private readonly string _dir = Directory.CreateTempSubdirectory("qp-report-").FullName;

    [Fact]
    public void A_full_report_embeds_every_chart_as_a_valid_png_of_the_chart_size()
    {
        var path = HtmlReportWriter.Write(FullDocument(), Path.Combine(_dir, "sub", "report.html"));
        var document = ReportHtml.Parse(File.ReadAllText(path));
        var charts = ReportHtml.Charts(document);
        Assert.Equal(["drawdown", "equity", "ic", "psi", "rank_ic"], charts.Keys.Order());
        foreach (var (key, png) in charts)
        {
            using var bitmap = ReportHtml.DecodePng(png, ReportCharts.Width, ReportCharts.Height);
            Assert.True(ReportHtml.DistinctColours(bitmap) > 20, $"chart '{key}' is nearly blank");
        }

        var sections = document.Descendants("section").Select(s => (string)s.Attribute("id")!).ToList();
        Assert.Equal(["gate", "metrics", "performance", "ic", "monitoring", "stages", "table-1", "lineage", "configuration"], sections);
        Assert.Equal(sections.Select(s => "#" + s), document.Descendants("nav").Single().Elements("a").Select(a => (string)a.Attribute("href")!));
    }

    [Fact]
    public void Reports_rendered_in_parallel_equal_the_one_rendered_alone()
    {
        var document = FullDocument() with { GeneratedUtc = new DateTime(2024, 6, 28, 12, 0, 0, DateTimeKind.Utc) };
        var alone = HtmlReportWriter.Render(document);
        var parallel = new string[4];
        Parallel.For(0, parallel.Length, i => parallel[i] = HtmlReportWriter.Render(document));
        Assert.All(parallel, html => Assert.Equal(alone, html));
    }

    [Fact]
    public void The_report_is_self_contained()
    {
        var html = HtmlReportWriter.Render(FullDocument());
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        var document = ReportHtml.Parse(html);
        Assert.Empty(document.Descendants("script"));
        Assert.Empty(document.Descendants("link"));
        Assert.Single(document.Descendants("style"));
        Assert.All(document.Descendants().Attributes("src"), a => Assert.StartsWith("data:image/png;base64,", a.Value));
        Assert.All(document.Descendants().Attributes("href"), a => Assert.StartsWith("#", a.Value));
        Assert.DoesNotContain("url(", document.Descendants("style").Single().Value);
    }

    [Fact]
    public void Equity_and_drawdown_figures_match_a_hand_worked_example()
    {
        // Equity 1.1, 0.88, 0.924, 1.155, 1.0395: the peak after day 1 (1.1) falls 20 % to 0.88 on day 2 and is
        // regained on day 4; the last day's −10 % is a shallower drawdown. The NaN day counts as flat.
        double[] returns = [0.10, -0.20, 0.05, 0.25, double.NaN, -0.10];
        var series = Series("long-short net", returns);
        var curve = EquityCurve.From(series);
        Assert.Equal([1.1, 0.88, 0.924, 1.155, 1.155, 1.0395], curve.Equity, Tolerance(1e-12));
        Assert.Equal([0, -0.2, -0.16, 0, 0, -0.1], curve.Drawdowns, Tolerance(1e-12));

        var document = ReportHtml.Parse(HtmlReportWriter.Render(new ReportDocument { Title = "equity", NetReturns = series }));
        Assert.Equal("6", ReportHtml.Figure(document, "periods"));
        Assert.Equal("2024-01-02", ReportHtml.Figure(document, "from"));
        Assert.Equal("2024-01-07", ReportHtml.Figure(document, "to"));
        Assert.Equal("1.0395", ReportHtml.Figure(document, "final_equity"));
        Assert.Equal("+3.95%", ReportHtml.Figure(document, "total_return"));
        Assert.Equal("-20.00%", ReportHtml.Figure(document, "max_drawdown"));
        Assert.Equal("2024-01-02", ReportHtml.Figure(document, "drawdown_peak"));
        Assert.Equal("2024-01-03", ReportHtml.Figure(document, "drawdown_trough"));
        Assert.Equal("2024-01-05", ReportHtml.Figure(document, "drawdown_recovery"));
        Assert.Equal(["drawdown", "equity"], ReportHtml.Charts(document).Keys.Order());
    }

    [Fact]
    public void A_loss_on_the_first_day_is_a_drawdown_from_the_starting_capital()
    {
        var document = ReportHtml.Parse(HtmlReportWriter.Render(new ReportDocument { Title = "t", NetReturns = Series("r", [-0.5, 0.5]) }));
        Assert.Equal("0.7500", ReportHtml.Figure(document, "final_equity"));
        Assert.Equal("-50.00%", ReportHtml.Figure(document, "max_drawdown"));
        Assert.Equal("start", ReportHtml.Figure(document, "drawdown_peak"));
        Assert.Equal("not yet", ReportHtml.Figure(document, "drawdown_recovery"));
    }

    [Fact]
    public void The_gate_lists_every_rule_with_value_threshold_and_result()
    {
        var gate = new GateDecision(false,
        [
            new GateRule("sharpe", 1.25, ">=", 0.5, true),
            new GateRule("max_drawdown", -0.31, ">=", -0.2, false),
            new GateRule("rank_ic", double.NaN, ">=", 0.01, false),
        ]);
        var document = ReportHtml.Parse(HtmlReportWriter.Render(new ReportDocument { Title = "gate", Gate = gate }));
        var section = Section(document, "gate");
        Assert.Equal("FAIL", section.Descendants("p").Single(p => (string?)p.Attribute("data-figure") == "gate").Value);
        var rows = section.Descendants("tbody").Single().Elements("tr").Select(r => r.Elements("td").Select(td => td.Value).ToArray()).ToList();
        Assert.Equal<string[]>(
        [
            ["sharpe", "1.25", ">=", "0.5", "pass"],
            ["max_drawdown", "-0.31", ">=", "-0.2", "FAIL"],
            ["rank_ic", "not measured", ">=", "0.01", "FAIL"],
        ], rows);
    }

    [Fact]
    public void Parts_not_given_are_left_out_cleanly()
    {
        var bare = ReportHtml.Parse(HtmlReportWriter.Render(new ReportDocument { Title = "bare" }));
        Assert.Empty(bare.Descendants("section"));
        Assert.Empty(bare.Descendants("nav"));
        Assert.Empty(bare.Descendants("img"));
        Assert.Equal("bare", bare.Descendants("h1").Single().Value);

        // Empty or all-missing series draw nothing rather than an empty chart.
        var empty = ReportHtml.Parse(HtmlReportWriter.Render(new ReportDocument
        {
            Title = "empty",
            NetReturns = new ReportSeries("r", [], []),
            Ic = Series("ic", [double.NaN, double.NaN]),
            RankIc = Series("rank ic", [0.02, 0.03, 0.01]),
            Psi = [Series("f1", [double.NaN])],
            Metrics = [new("sharpe", 1.5)],
        }));
        Assert.Equal(["metrics", "ic"], empty.Descendants("section").Select(s => (string)s.Attribute("id")!));
        Assert.Equal(["rank_ic"], ReportHtml.Charts(empty).Keys);
        Assert.Equal("0.0200", ReportHtml.Figure(empty, "rank_ic_mean"));
    }

    [Fact]
    public void Hostile_strings_are_escaped_everywhere()
    {
        const string hostile = "<script>alert('x')</script> & \"quoted\" <img src=http://evil.example/x.png>";
        var document = new ReportDocument
        {
            Title = hostile,
            RunId = hostile,
            ConfigText = "</pre>" + hostile,
            Lineage = new Dictionary<string, string> { [hostile] = hostile },
            Metrics = [new(hostile, 1.0)],
            Gate = new GateDecision(true, [new GateRule(hostile, 1, ">=", 0, true)]),
            NetReturns = Series(hostile, [0.01, -0.01]),
            Ic = Series(hostile, [0.1, 0.2]),
            Psi = [Series(hostile, [0.05, 0.3])],
            MonitoringSummary = hostile,
            Tables = [new ReportTable(hostile, [hostile], [[hostile]])],
            Stages = [new StageRecord(hostile, "failed", new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), 1.5, hostile, hostile)],
        };
        var html = HtmlReportWriter.Render(document);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var parsed = ReportHtml.Parse(html);
        Assert.Empty(parsed.Descendants("script"));
        Assert.All(parsed.Descendants("img"), i => Assert.StartsWith("data:image/png;base64,", (string)i.Attribute("src")!));
        Assert.Equal(hostile, parsed.Descendants("title").Single().Value);
        Assert.Equal(hostile, parsed.Descendants("h1").Single().Value);
        Assert.Equal("</pre>" + hostile, parsed.Descendants("pre").Single().Value);
        Assert.Contains(parsed.Descendants("td"), td => td.Value == hostile);
        Assert.Contains(parsed.Descendants("h2"), h => h.Value == hostile);
    }

    [Fact]
    public void Charts_draw_their_text_with_the_embedded_font()
    {
        Assert.Equal("DejaVu Sans", ChartFont.Typeface.FamilyName);
        using var font = new SkiaSharp.SKFont(ChartFont.Typeface, 12);
        var glyphs = font.GetGlyphs("PSI warn 0.1 −");
        Assert.DoesNotContain((ushort)0, glyphs);

        // The title band of a chart holds dark text pixels; without a usable font it stays background.
        var curve = EquityCurve.From(Series("r", [0.01, 0.02, -0.01]));
        using var bitmap = ReportHtml.DecodePng(ReportCharts.Equity(curve), ReportCharts.Width, ReportCharts.Height);
        var dark = 0;
        for (var y = 0; y < 30; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var p = bitmap.GetPixel(x, y);
                dark += p.Red + p.Green + p.Blue < 200 ? 1 : 0;
            }
        }

        Assert.True(dark > 100, $"only {dark} dark pixels in the title band");
    }

    internal static ReportSeries Series(string name, double[] values) =>
        new(name, [.. Enumerable.Range(0, values.Length).Select(Start.AddDays)], values);

    private static ReportDocument FullDocument()
    {
        var random = new Random(7);
        var n = 120;
        double[] Draw(double mean, double sd) => [.. Enumerable.Range(0, n).Select(_ => mean + sd * (random.NextDouble() - 0.5) * 3.4)];
        return new ReportDocument
        {
            Title = "Run 2024-06-28",
            RunId = "run-42",
            ConfigText = "model_name: demo_mlp\nmin_sharpe_threshold: 0.5\n",
            Lineage = new Dictionary<string, string> { ["data_snapshot"] = "abc123", ["config_hash"] = "def456" },
            Gate = new GateDecision(true, [new GateRule("sharpe", 1.2, ">=", 0.5, true)]),
            Metrics = [new("sharpe", 1.2), new("max_drawdown", -0.08)],
            NetReturns = Series("net", Draw(0.0005, 0.01)),
            Ic = Series("ic", Draw(0.03, 0.1)),
            RankIc = Series("rank_ic", Draw(0.02, 0.1)),
            Psi = [Series("ret_1", Draw(0.05, 0.02)), Series("vol_20", [.. Enumerable.Range(0, n).Select(i => 0.01 * i * 0.003 * i)])],
            Tables = [new ReportTable("Retrains", ["as_of", "version"], [["2024-05-31", "3"]])],
            Stages = [new StageRecord("train", "ok", new DateTime(2024, 6, 28, 10, 0, 0, DateTimeKind.Utc), 12.5, "3 epochs")],
        };
    }

    private static XElement Section(XDocument document, string id) =>
        document.Descendants("section").Single(s => (string?)s.Attribute("id") == id);

    private static IEqualityComparer<double> Tolerance(double tolerance) =>
        EqualityComparer<double>.Create((a, b) => Math.Abs(a - b) <= tolerance, _ => 0);

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
