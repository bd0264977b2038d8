using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace QuantPipeline.Core.Panels;

/// <summary>
/// The Arrow form of a panel: a RecordBatch with <c>ts</c> (timestamp[µs, UTC]), one <c>FixedSizeList&lt;float32&gt;[N]</c>
/// column per field (row t holds the N symbols' values at timestamp t, so the list's value buffer is the time-major
/// [T, N] buffer itself) and a <c>FixedSizeList&lt;bool&gt;[N]</c> <c>_membership</c> column. The symbol list and the
/// calendar travel in schema metadata (<see cref="SymbolsKey"/>, <see cref="CalendarKey"/>).
/// </summary>
public static class PanelArrow
{
    public const string TimestampColumn = "ts";
    public const string MembershipColumn = "_membership";
    public const string SymbolsKey = "qp.symbols";
    public const string CalendarKey = "qp.calendar";

    private static readonly TimestampType TimestampType = new(TimeUnit.Microsecond, "UTC");

    /// <summary>
    /// A RecordBatch over the panel's own buffers: field values are not copied (the float[] is wrapped, so later writes
    /// to the panel show through); timestamps and the bit-packed membership column are built (T·8 + T·N/8 bytes).
    /// </summary>
    public static RecordBatch ToRecordBatch(Panel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        int t = panel.T, n = panel.N;
        var fields = new List<Field> { new(TimestampColumn, TimestampType, nullable: false) };
        var arrays = new List<IArrowArray>();

        var ts = new TimestampArray.Builder(TimestampType);
        foreach (var stamp in panel.Timestamps)
        {
            ts.Append(new DateTimeOffset(DateTime.SpecifyKind(stamp, DateTimeKind.Utc)));
        }

        arrays.Add(ts.Build());
        foreach (var name in panel.FieldNames)
        {
            var listType = new FixedSizeListType(new Field("item", FloatType.Default, nullable: true), n);
            var memory = new PinnedFloatMemory(panel.Field(name)).Memory;
            var values = new ArrayData(FloatType.Default, t * n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(memory)], []);
            var list = new ArrayData(listType, t, 0, 0, [ArrowBuffer.Empty], [values]);
            fields.Add(new Field(name, listType, nullable: false));
            arrays.Add(new FixedSizeListArray(list));
        }

        var membershipType = new FixedSizeListType(new Field("item", BooleanType.Default, nullable: false), n);
        var bits = new BooleanArray.Builder().Reserve(t * n);
        foreach (var member in panel.Membership)
        {
            bits.Append(member);
        }

        var membershipValues = bits.Build();
        fields.Add(new Field(MembershipColumn, membershipType, nullable: false));
        arrays.Add(new FixedSizeListArray(new ArrayData(membershipType, t, 0, 0, [ArrowBuffer.Empty], [membershipValues.Data])));

        var metadata = new Dictionary<string, string> { [SymbolsKey] = JsonSerializer.Serialize(panel.Symbols) };
        if (panel.Calendar is not null)
        {
            metadata[CalendarKey] = panel.Calendar;
        }

        return new RecordBatch(new Schema(fields, metadata), arrays, t);
    }

    /// <summary>The symbols in a panel schema's metadata.</summary>
    public static IReadOnlyList<string> Symbols(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.Metadata is null || !schema.Metadata.TryGetValue(SymbolsKey, out var json))
        {
            throw new InvalidDataException($"The Arrow schema has no '{SymbolsKey}' metadata, so it is not a QuantPipeline panel; write it with PanelArrow or PanelIpc.");
        }

        return JsonSerializer.Deserialize<string[]>(json) ?? throw new InvalidDataException($"'{SymbolsKey}' metadata is not a JSON array of symbols.");
    }

    /// <summary>
    /// The [rows, N] values of a field column as a zero-copy span over the Arrow value buffer, honouring a slice's offset
    /// (so a time slice made with <see cref="RecordBatch.Slice"/> is also read without copying).
    /// </summary>
    public static ReadOnlySpan<float> FieldValues(RecordBatch batch, string name)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Column(name) is not FixedSizeListArray list || list.Values is not FloatArray values)
        {
            throw new KeyNotFoundException($"The batch has no FixedSizeList<float32> column '{name}'. Columns: {string.Join(", ", batch.Schema.FieldsList.Select(f => f.Name))}.");
        }

        var n = ((FixedSizeListType)list.Data.DataType).ListSize;
        return values.Values.Slice(list.Offset * n, list.Length * n);
    }

    /// <summary>A panel holding a copy of the batch (Panel keeps managed float[] buffers, which Arrow-owned memory is not).</summary>
    public static Panel ToPanel(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var symbols = Symbols(batch.Schema);
        if (batch.Column(TimestampColumn) is not TimestampArray ts)
        {
            throw new InvalidDataException($"The batch has no timestamp column '{TimestampColumn}'.");
        }

        var stamps = new DateTime[batch.Length];
        for (var i = 0; i < stamps.Length; i++)
        {
            stamps[i] = ts.GetTimestampUnchecked(i).UtcDateTime;
        }

        var calendar = batch.Schema.Metadata?.GetValueOrDefault(CalendarKey);
        var panel = new Panel(stamps, symbols) { Calendar = calendar };
        foreach (var field in batch.Schema.FieldsList)
        {
            if (field.Name == TimestampColumn)
            {
                continue;
            }

            if (field.Name == MembershipColumn)
            {
                var list = (FixedSizeListArray)batch.Column(MembershipColumn);
                var bits = (BooleanArray)list.Values;
                var offset = list.Offset * symbols.Count;
                for (var k = 0; k < panel.Membership.Length; k++)
                {
                    panel.Membership[k] = bits.GetValue(offset + k) ?? false;
                }

                continue;
            }

            panel.SetField(field.Name, FieldValues(batch, field.Name).ToArray());
        }

        return panel;
    }
}
