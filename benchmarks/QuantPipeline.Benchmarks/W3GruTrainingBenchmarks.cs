using BenchmarkDotNet.Attributes;
using QuantPipeline.Training.Data;
using QuantPipeline.Training.Training;
using QuantPipeline.Training.Workloads;
using TorchSharp;

namespace QuantPipeline.Benchmarks;

/// <summary>
/// GRU (hidden 64, 16 features) over 60-step sequences, one epoch on CPU with 2 threads, from
/// time-major panels (processors and sequence gathering included). Samples = Symbols × (Dates − 59).
/// </summary>
[MemoryDiagnoser]
public class W3GruTrainingBenchmarks
{
    private TrainingPanels? _panels;

    [Params(100)]
    public int Symbols { get; set; }

    [Params(139)]
    public int Dates { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        _panels = TrainingWorkloads.GruPanels(Dates, Symbols, 16);
    }

    [Benchmark]
    public double Gru60()
    {
        using var trained = TrainingWorkloads.RunGru(_panels!, TrainingWorkloads.GruOptions(DeviceChoice.Cpu, threads: 2));
        return trained.Card.Curve[^1].TrainLoss;
    }
}
