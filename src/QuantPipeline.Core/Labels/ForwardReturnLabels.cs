using System.Globalization;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features.Expressions;

namespace QuantPipeline.Core.Labels;

/// <summary>
/// Expression labels such as forward returns. They may look ahead (negative Ref), so they are computed only from
/// data up to the as-of bar: nothing after the as-of date is read, and a row whose label would need later bars is NaN.
/// </summary>
public static class ForwardReturnLabels
{
    /// <summary>Return over the next h bars: Ref($close, -h)/$close − 1, known at t + h.</summary>
    public static FeatureDefinition Forward(int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var h = horizon.ToString(CultureInfo.InvariantCulture);
        return new FeatureDefinition($"FWD_RET_{h}", $"Ref($close, -{h})/$close - 1");
    }

    /// <summary>Qlib's default label: buy at the next close, sell at the one after — Ref($close, -2)/Ref($close, -1) − 1.</summary>
    public static FeatureDefinition Qlib() => new("LABEL0", "Ref($close, -2)/Ref($close, -1) - 1");

    /// <param name="asOfIndex">Last bar that may be read (the as-of date); −1 = the last bar of the data.</param>
    public static LabelPanel Evaluate(
        FeatureDefinition label,
        IReadOnlyDictionary<string, float[]> fields,
        IReadOnlyList<DateTime> timestamps,
        int n,
        IComputeBackend backend,
        int asOfIndex = -1)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(timestamps);
        var t = timestamps.Count;
        var last = asOfIndex < 0 ? t - 1 : Math.Min(asOfIndex, t - 1);
        var known = last + 1;
        var compiled = FeatureCompiler.Compile([label], CompileOptions.Labels);
        var visible = new Dictionary<string, float[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in compiled.Fields)
        {
            var source = fields.FirstOrDefault(f => string.Equals(f.Key.TrimStart('$'), field, StringComparison.OrdinalIgnoreCase)).Value
                ?? throw new KeyNotFoundException($"Label '{label.Name}' needs field '${field}', which is not in the data.");
            visible[field] = source.AsSpan(0, known * n).ToArray();
        }

        var values = new float[t * n];
        Array.Fill(values, float.NaN);
        if (known > 0)
        {
            FeatureEvaluator.Evaluate(compiled, visible, known, n, backend, (_, result) => result.CopyTo(values));
        }

        var ahead = compiled.Lookahead;
        var end = new int[t];
        for (var row = 0; row < t; row++)
        {
            end[row] = row + ahead <= last ? row + ahead : -1;
            if (end[row] < 0)
            {
                values.AsSpan(row * n, n).Fill(float.NaN);
            }
        }

        return new LabelPanel(label.Name, values, end, timestamps, n);
    }
}
