using System.Diagnostics;
using QuantPipeline.Training.Data;
using QuantPipeline.Training.Models;
using QuantPipeline.Training.Training;
using TorchSharp;

namespace QuantPipeline.Training.Tests;

public class MemoryTests
{
    [Fact]
    public void Many_epochs_leave_no_live_tensors_and_bounded_native_memory()
    {
        var panels = SyntheticPanels.Sequential(30, 40, 3, 13);
        var (state, train) = SampleSet.FitAndBuild(panels, 0, 24, new(), sequenceLength: 4);
        using var _ = train;
        using var validation = SampleSet.Build(panels, 24, 30, state, sequenceLength: 4);
        var live = new List<long>();
        var resident = new List<long>();
        void Sample(string line)
        {
            if (line.StartsWith("epoch", StringComparison.Ordinal))
            {
                live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
                using var process = Process.GetCurrentProcess();
                resident.Add(process.WorkingSet64);
            }
        }

        var options = new TrainerOptions
        {
            Model = new ModelSpec { Kind = ModelKind.Gru, HiddenSize = 16, SequenceLength = 4 },
            Epochs = 60,
            BatchSize = 64,
            Threads = 1,
            Device = DeviceChoice.Cpu,
        };
        using var trained = Trainer.Fit(train, validation, options, "fs-mem", Sample);
        Assert.Equal(60, live.Count);
        // Every step's tensors are gone by the end of its epoch: the live count does not grow.
        Assert.True(live.Skip(1).All(v => v == live[1]), $"live tensors per epoch: {string.Join(" ", live)}");
        var growth = resident[^1] - resident[9];
        Assert.True(growth < 64L << 20, $"resident memory grew {growth >> 20} MiB between epochs 10 and 60");
    }
}
