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

    /// <summary>The market calendar the timestamps follow (e.g. an ISO MIC such as "XNYS"), when known.</summary>
    public string? Calendar { get; init; }

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

    /// <summary>Rows [start, start + count) of every field and of the membership, as a new panel (a copy: Panel owns
    /// float[] buffers; the zero-copy time slice is <see cref="Apache.Arrow.RecordBatch.Slice"/> of <see cref="PanelArrow.ToRecordBatch"/>).</summary>
    public Panel SliceTime(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > T)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start + count}) are outside the panel's {T} timestamps.");
        }

        var slice = new Panel(Timestamps.Skip(start).Take(count).ToArray(), Symbols) { Calendar = Calendar };
        Membership.AsSpan(start * N, count * N).CopyTo(slice.Membership);
        foreach (var (name, values) in _fields)
        {
            slice.SetField(name, values.AsSpan(start * N, count * N).ToArray());
        }

        return slice;
    }

    /// <summary>The given symbols (in that order) of every field, as a new panel.</summary>
    public Panel SelectSymbols(IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < N; j++)
        {
            index[Symbols[j]] = j;
        }

        var columns = symbols.Select(s => index.TryGetValue(s, out var j) ? j : throw new KeyNotFoundException($"Symbol '{s}' is not in the panel.")).ToArray();
        var subset = new Panel(Timestamps, symbols) { Calendar = Calendar };
        var m = columns.Length;
        for (var i = 0; i < T; i++)
        {
            for (var c = 0; c < m; c++)
            {
                subset.Membership[i * m + c] = Membership[i * N + columns[c]];
            }
        }

        foreach (var (name, values) in _fields)
        {
            var picked = new float[T * m];
            for (var i = 0; i < T; i++)
            {
                for (var c = 0; c < m; c++)
                {
                    picked[i * m + c] = values[i * N + columns[c]];
                }
            }

            subset.SetField(name, picked);
        }

        return subset;
    }

    /// <summary>Panels with the same symbols and fields, consecutive in time, joined into one.</summary>
    public static Panel ConcatTime(IReadOnlyList<Panel> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("Nothing to concatenate.", nameof(parts));
        }

        var first = parts[0];
        if (parts.Any(p => !p.Symbols.SequenceEqual(first.Symbols, StringComparer.Ordinal)))
        {
            throw new ArgumentException("Panels to concatenate must list the same symbols in the same order.", nameof(parts));
        }

        var joined = new Panel(parts.SelectMany(p => p.Timestamps).ToArray(), first.Symbols) { Calendar = first.Calendar };
        var n = first.N;
        var row = 0;
        foreach (var part in parts)
        {
            part.Membership.CopyTo(joined.Membership, row * n);
            row += part.T;
        }

        foreach (var name in first.FieldNames)
        {
            var values = new float[joined.T * n];
            row = 0;
            foreach (var part in parts)
            {
                if (!part.HasField(name))
                {
                    throw new ArgumentException($"Field '{name}' is missing from the panel starting {part.Timestamps.FirstOrDefault():O}.", nameof(parts));
                }

                part.Field(name).CopyTo(values, row * n);
                row += part.T;
            }

            joined.SetField(name, values);
        }

        return joined;
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
