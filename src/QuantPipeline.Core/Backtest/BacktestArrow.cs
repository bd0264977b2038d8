using Apache.Arrow;
using Apache.Arrow.Types;

namespace QuantPipeline.Core.Backtest;

/// <summary>Backtest output as Arrow record batches (one row per bar), for DuckDB, Parquet or Python readers.</summary>
public static class BacktestArrow
{
    /// <summary>
    /// Columns: <c>date</c> (date32) when dates are given, else <c>bar</c> (int32); then float64 gross, net, turnover,
    /// commission, spread, impact, borrow, long_exposure, short_exposure; int32 longs, shorts, forced_closes.
    /// </summary>
    public static RecordBatch Bars(BacktestBars bars, IReadOnlyList<DateOnly>? dates = null)
    {
        ArgumentNullException.ThrowIfNull(bars);
        if (dates is not null && dates.Count != bars.T)
        {
            throw new ArgumentException($"{dates.Count} dates were given for {bars.T} bars; give one date per bar.", nameof(dates));
        }

        var fields = new List<Field>();
        var arrays = new List<IArrowArray>();
        if (dates is not null)
        {
            var builder = new Date32Array.Builder();
            foreach (var d in dates)
            {
                builder.Append(d);
            }

            fields.Add(new Field("date", Date32Type.Default, nullable: false));
            arrays.Add(builder.Build());
        }
        else
        {
            fields.Add(new Field("bar", Int32Type.Default, nullable: false));
            arrays.Add(new Int32Array.Builder().AppendRange(Enumerable.Range(0, bars.T)).Build());
        }

        void Float(string name, double[] values)
        {
            fields.Add(new Field(name, DoubleType.Default, nullable: false));
            arrays.Add(new DoubleArray.Builder().AppendRange(values).Build());
        }

        void Int(string name, int[] values)
        {
            fields.Add(new Field(name, Int32Type.Default, nullable: false));
            arrays.Add(new Int32Array.Builder().AppendRange(values).Build());
        }

        Float("gross", bars.Gross);
        Float("net", bars.Net);
        Float("turnover", bars.Turnover);
        Float("commission", bars.Commission);
        Float("spread", bars.Spread);
        Float("impact", bars.Impact);
        Float("borrow", bars.Borrow);
        Float("long_exposure", bars.LongExposure);
        Float("short_exposure", bars.ShortExposure);
        Int("longs", bars.Longs);
        Int("shorts", bars.Shorts);
        Int("forced_closes", bars.ForcedCloses);
        return new RecordBatch(new Schema(fields, null), arrays, bars.T);
    }

    /// <summary>Weights at each bar's close: one float64 column per symbol (needs <see cref="BacktestOptions.RecordPositions"/>).</summary>
    public static RecordBatch Positions(BacktestBars bars, IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(symbols);
        var positions = bars.Positions ?? throw new InvalidOperationException("Positions were not recorded; run the backtest with RecordPositions = true.");
        var n = symbols.Count;
        if (positions.Length != (long)bars.T * n)
        {
            throw new ArgumentException($"{symbols.Count} symbols do not match the {positions.Length / Math.Max(bars.T, 1)} names of the backtest.", nameof(symbols));
        }

        var fields = new List<Field>(n);
        var arrays = new List<IArrowArray>(n);
        for (var j = 0; j < n; j++)
        {
            var builder = new DoubleArray.Builder().Reserve(bars.T);
            for (var i = 0; i < bars.T; i++)
            {
                builder.Append(positions[(long)i * n + j]);
            }

            fields.Add(new Field(symbols[j], DoubleType.Default, nullable: false));
            arrays.Add(builder.Build());
        }

        return new RecordBatch(new Schema(fields, null), arrays, bars.T);
    }
}
