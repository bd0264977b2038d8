namespace QuantPipeline.Core.Panels;

/// <summary>
/// T timestamps × N symbols per field, time-major float32: the N values of a field at one
/// timestamp are contiguous (row-major [T, N]). Missing data is NaN; universe membership is
/// a separate mask (not in the universe is not the same as no data).
/// </summary>
public sealed class Panel
{
    private readonly Dictionary<string, float[]> _fields = new(StringComparer.Ordinal);

    public Panel(IReadOnlyList<DateTime> timestamps, IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(symbols);
        for (var i = 1; i < timestamps.Count; i++)
        {
            if (timestamps[i] <= timestamps[i - 1])
            {
                throw new ArgumentException(
                    $"Timestamps must be strictly increasing; index {i} ({timestamps[i]:O}) follows {timestamps[i - 1]:O}.",
                    nameof(timestamps));
            }
        }

        if (symbols.Distinct(StringComparer.Ordinal).Count() != symbols.Count)
        {
            throw new ArgumentException("Symbols must be unique.", nameof(symbols));
        }

        Timestamps = timestamps;
        Symbols = symbols;
        Membership = new bool[timestamps.Count * symbols.Count];
        Array.Fill(Membership, true);
    }

    public IReadOnlyList<DateTime> Timestamps { get; }

    public IReadOnlyList<string> Symbols { get; }

    /// <summary>Number of timestamps (rows).</summary>
    public int T => Timestamps.Count;

    /// <summary>Number of symbols (columns).</summary>
    public int N => Symbols.Count;

    /// <summary>Universe membership, [T, N] time-major; true where the symbol is in the universe.</summary>
    public bool[] Membership { get; }

    public IEnumerable<string> FieldNames => _fields.Keys;

    public bool HasField(string name) => _fields.ContainsKey(name);

    /// <summary>The whole [T, N] buffer of a field.</summary>
    public float[] Field(string name) =>
        _fields.TryGetValue(name, out var values)
            ? values
            : throw new KeyNotFoundException($"Panel has no field '{name}'. Fields: {string.Join(", ", _fields.Keys)}.");

    /// <summary>The N values of a field at timestamp index t.</summary>
    public Span<float> Row(string name, int t) => Field(name).AsSpan(t * N, N);

    public Panel SetField(string name, float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != T * N)
        {
            throw new ArgumentException($"Field '{name}' has {values.Length} values; a {T}×{N} panel needs {T * N}.", nameof(values));
        }

        _fields[name] = values;
        return this;
    }

    /// <summary>A new field buffer filled with NaN.</summary>
    public float[] NewBuffer()
    {
        var buffer = GC.AllocateUninitializedArray<float>(T * N);
        buffer.AsSpan().Fill(float.NaN);
        return buffer;
    }

    public int IndexOfTimestamp(DateTime ts)
    {
        var index = BinarySearch(ts);
        return index >= 0 ? index : -1;
    }

    /// <summary>Index of the last timestamp at or before ts, or -1.</summary>
    public int IndexAtOrBefore(DateTime ts)
    {
        var index = BinarySearch(ts);
        return index >= 0 ? index : ~index - 1;
    }

    private int BinarySearch(DateTime ts)
    {
        int lo = 0, hi = T - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = Timestamps[mid].CompareTo(ts);
            if (cmp == 0)
            {
                return mid;
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
