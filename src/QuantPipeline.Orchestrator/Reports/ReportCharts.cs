using System.Globalization;
using QuantPipeline.Core.Monitoring;
using ScottPlot;

namespace QuantPipeline.Orchestrator.Reports;

/// <summary>
/// Draws the report's charts as PNG images with ScottPlot: equity, drawdown, IC with its rolling mean, and PSI per
/// feature with the warn and alert levels. Every chart is <see cref="Width"/> × <see cref="Height"/> pixels, dates on
/// the x axis; non-finite points are left out (a rolling mean is undefined until its window fills). Charts are drawn
/// one at a time: ScottPlot keeps its font resolvers and typeface cache in static state.
/// </summary>
public static class ReportCharts
{
    public const int Width = 960;

    public const int Height = 320;

    private static readonly Lock Gate = new();

    private static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"),
        Color.FromHex("#bcbd22"), Color.FromHex("#17becf"),
    ];

    public static byte[] Equity(EquityCurve curve) => Locked(() => DrawEquity(curve));

    public static byte[] Drawdown(EquityCurve curve) => Locked(() => DrawDrawdown(curve));

    /// <summary>A daily series (IC or Rank IC) drawn thin, with its trailing mean over <paramref name="window"/> periods drawn bold; null when it has no finite value.</summary>
    public static byte[]? WithRollingMean(ReportSeries series, int window, string title) => Locked(() => DrawWithRollingMean(series, window, title));

    /// <summary>PSI over time, one line per series, with dashed lines at the warn and alert levels; null when no series has a finite value.</summary>
    public static byte[]? Psi(IReadOnlyList<ReportSeries> series, double warn, double alert) => Locked(() => DrawPsi(series, warn, alert));

    private static byte[] DrawEquity(EquityCurve curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        using var plot = NewPlot("Equity (compounded, start = 1)", "equity");
        Line(plot, curve.Dates, curve.Equity, string.Empty, Palette[0], 2f);
        var start = plot.Add.HorizontalLine(1.0);
        start.Color = Colors.Gray;
        start.LinePattern = LinePattern.Dotted;
        start.LineWidth = 1;
        return Png(plot);
    }

    private static byte[] DrawDrawdown(EquityCurve curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        using var plot = NewPlot("Drawdown from the running peak", "drawdown");
        var line = Line(plot, curve.Dates, curve.Drawdowns, string.Empty, Palette[3], 1.5f);
        if (line is not null)
        {
            line.FillY = true;
            line.FillYColor = Palette[3].WithAlpha(0.25);
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Percent };
        return Png(plot);
    }

    private static byte[]? DrawWithRollingMean(ReportSeries series, int window, string title)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var values = series.Values.ToArray();
        if (!values.Any(double.IsFinite))
        {
            return null;
        }

        using var plot = NewPlot(title, series.Name);
        var zero = plot.Add.HorizontalLine(0.0);
        zero.Color = Colors.Gray;
        zero.LineWidth = 1;
        zero.LinePattern = LinePattern.Dotted;
        Line(plot, series.Dates, values, "daily", Palette[0].WithAlpha(0.45), 1f);
        var rolling = RollingStatistics.Mean(values, window, Math.Max(1, window / 2));
        Line(plot, series.Dates, rolling, string.Create(CultureInfo.InvariantCulture, $"rolling mean ({window})"), Palette[1], 2.5f);
        plot.ShowLegend(Alignment.UpperLeft);
        return Png(plot);
    }

    private static byte[]? DrawPsi(IReadOnlyList<ReportSeries> series, double warn, double alert)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (!series.Any(s => s.Values.Any(double.IsFinite)))
        {
            return null;
        }

        using var plot = NewPlot("Population stability index against the training reference", "PSI");
        for (var i = 0; i < series.Count; i++)
        {
            Line(plot, series[i].Dates, [.. series[i].Values], series[i].Name, Palette[i % Palette.Length], 1.8f);
        }

        Level(plot, warn, "warn", Colors.Orange);
        Level(plot, alert, "alert", Colors.Red);
        plot.Axes.SetLimitsY(0, Math.Max(alert * 1.25, series.SelectMany(s => s.Values).Where(double.IsFinite).DefaultIfEmpty(0).Max() * 1.1));
        plot.ShowLegend(Alignment.UpperLeft);
        return Png(plot);
    }

    private static void Level(Plot plot, double y, string name, Color color)
    {
        var line = plot.Add.HorizontalLine(y);
        line.Color = color;
        line.LinePattern = LinePattern.Dashed;
        line.LineWidth = 1.5f;
        line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{name} {y:0.###}");
    }

    private static Plot NewPlot(string title, string yLabel)
    {
        ChartFont.Register();
        var plot = new Plot();
        plot.Title(title);
        plot.YLabel(yLabel);
        var dates = plot.Axes.DateTimeTicksBottom();
        if (dates.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic ticks)
        {
            ticks.LabelFormatter = d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        plot.Font.Set(ChartFont.Name);
        return plot;
    }

    private static ScottPlot.Plottables.Scatter? Line(Plot plot, IReadOnlyList<DateOnly> dates, double[] values, string name, Color color, float width)
    {
        if (dates.Count != values.Length)
        {
            throw new ArgumentException($"Chart series '{name}' has {dates.Count} dates but {values.Length} values.");
        }

        var xs = new List<double>(values.Length);
        var ys = new List<double>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsFinite(values[i]))
            {
                xs.Add(dates[i].ToDateTime(TimeOnly.MinValue).ToOADate());
                ys.Add(values[i]);
            }
        }

        if (xs.Count == 0)
        {
            return null;
        }

        var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), color);
        line.LineWidth = width;
        line.LegendText = name;
        return line;
    }

    private static string Percent(double value) => value.ToString("0.#%", CultureInfo.InvariantCulture);

    private static byte[] Png(Plot plot) => plot.GetImageBytes(Width, Height, ImageFormat.Png);

    private static T Locked<T>(Func<T> draw)
    {
        lock (Gate)
        {
            return draw();
        }
    }
}
