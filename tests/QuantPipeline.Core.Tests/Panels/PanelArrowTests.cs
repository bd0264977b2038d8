using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Panels;
using QuantPipeline.Core.Tests.Compute;

namespace QuantPipeline.Core.Tests.Panels;

public class PanelArrowTests
{
    private static Panel Sample(int t = 40, int n = 7)
    {
        var stamps = Enumerable.Range(0, t).Select(i => new DateTime(2024, 3, 4, 14, 30, 0, DateTimeKind.Utc).AddMinutes(i)).ToArray();
        var panel = new Panel(stamps, Enumerable.Range(0, n).Select(j => $"SYM{j}").ToArray()) { Calendar = "XNYS" };
        panel.SetField("close", Numbers.RandomWalk(t, n, seed: 1));
        panel.SetField("volume", Numbers.RandomWalk(t, n, seed: 2, level: 1000));
        for (var k = 0; k < panel.Membership.Length; k += 4)
        {
            panel.Membership[k] = false;
        }

        return panel;
    }

    private static void AssertSamePanel(Panel expected, Panel actual)
    {
        Assert.Equal(expected.Timestamps, actual.Timestamps);
        Assert.Equal(expected.Symbols, actual.Symbols);
        Assert.Equal(expected.Calendar, actual.Calendar);
        Assert.Equal(expected.Membership, actual.Membership);
        Assert.Equal(expected.FieldNames.Order(), actual.FieldNames.Order());
        foreach (var name in expected.FieldNames)
        {
            // Bitwise, NaN included.
            Assert.Equal(MemoryMarshal.AsBytes(expected.Field(name).AsSpan()).ToArray(), MemoryMarshal.AsBytes(actual.Field(name).AsSpan()).ToArray());
        }
    }

    [Fact]
    public void Record_batch_is_a_zero_copy_view_with_the_documented_schema()
    {
        var panel = Sample();
        using var batch = PanelArrow.ToRecordBatch(panel);

        Assert.Equal(panel.T, batch.Length);
        Assert.IsType<TimestampType>(batch.Schema.GetFieldByName("ts").DataType);
        var closeType = Assert.IsType<FixedSizeListType>(batch.Schema.GetFieldByName("close").DataType);
        Assert.Equal(panel.N, closeType.ListSize);
        Assert.Equal(panel.Symbols, PanelArrow.Symbols(batch.Schema));
        Assert.Equal("XNYS", batch.Schema.Metadata[PanelArrow.CalendarKey]);

        // Same memory: the span starts at the panel's array and a write to the panel shows through.
        var values = PanelArrow.FieldValues(batch, "close");
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(values), ref panel.Field("close")[0]));
        panel.Field("close")[5] = 123.25f;
        Assert.Equal(123.25f, PanelArrow.FieldValues(batch, "close")[5]);
    }

    [Fact]
    public void Time_slice_of_the_batch_reads_the_right_rows_without_copying()
    {
        var panel = Sample();
        using var batch = PanelArrow.ToRecordBatch(panel);
        var slice = batch.Slice(10, 5);
        var values = PanelArrow.FieldValues(slice, "volume");
        Assert.Equal(5 * panel.N, values.Length);
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(values), ref panel.Field("volume")[10 * panel.N]));
    }

    [Fact]
    public void Ipc_file_round_trips_values_nans_membership_and_metadata()
    {
        var panel = Sample();
        var path = Path.Combine(Path.GetTempPath(), $"qp-panel-{Guid.NewGuid():N}.arrow");
        try
        {
            PanelIpc.WriteFile(panel, path);
            AssertSamePanel(panel, PanelIpc.ReadFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Ipc_stream_round_trips_in_several_batches()
    {
        var panel = Sample(t: 53);
        using var stream = new MemoryStream();
        PanelIpc.WriteStream(panel, stream, rowsPerBatch: 16);
        stream.Position = 0;
        Assert.Equal(4, PanelIpc.ReadStreamChunks(stream).Count());
        stream.Position = 0;
        AssertSamePanel(panel, PanelIpc.ReadStream(stream));
    }

    [Fact]
    public void Slicing_by_time_and_symbols_picks_the_right_cells()
    {
        var panel = Sample();
        var slice = panel.SliceTime(3, 10).SelectSymbols(["SYM5", "SYM1"]);
        Assert.Equal(panel.Timestamps[3], slice.Timestamps[0]);
        Assert.Equal(["SYM5", "SYM1"], slice.Symbols);
        Assert.Equal(panel.Field("close")[(3 + 4) * panel.N + 1], slice.Field("close")[4 * 2 + 1]);
        Assert.Equal(panel.Membership[(3 + 4) * panel.N + 5], slice.Membership[4 * 2]);
        Assert.Throws<KeyNotFoundException>(() => panel.SelectSymbols(["NOPE"]));
    }

    [Fact]
    public void Reading_a_foreign_arrow_file_says_what_is_missing()
    {
        var schema = new Schema([new Field("x", Int32Type.Default, false)], null);
        using var batch = new RecordBatch(schema, [new Int32Array.Builder().Append(1).Build()], 1);
        var error = Assert.Throws<InvalidDataException>(() => PanelArrow.ToPanel(batch));
        Assert.Contains(PanelArrow.SymbolsKey, error.Message);
    }

    [Fact]
    public void Chunked_evaluation_with_lookback_matches_one_pass()
    {
        var panel = Sample(t: 300, n: 13);
        var spec = new RollingSpec(30);
        void Compute(Panel p)
        {
            foreach (var op in new[] { RollingOp.Mean, RollingOp.Std, RollingOp.Max })
            {
                var dst = p.NewBuffer();
                ManagedBackend.Instance.Rolling(op, p.Field("close"), dst, p.T, p.N, spec);
                p.SetField(op.ToString(), dst);
            }
        }

        var whole = Sample(t: 300, n: 13);
        Compute(whole);
        var parts = new List<Panel>();
        ChunkedEvaluation.Run(ChunkedEvaluation.Chunks(panel, 41), lookback: 29, Compute, parts.Add);
        var joined = Panel.ConcatTime(parts);

        Assert.Equal(whole.Timestamps, joined.Timestamps);
        foreach (var op in new[] { "Mean", "Std", "Max" })
        {
            Numbers.AssertClose(whole.Field(op).Select(v => (double)v).ToArray(), joined.Field(op), op);
        }
    }
}
