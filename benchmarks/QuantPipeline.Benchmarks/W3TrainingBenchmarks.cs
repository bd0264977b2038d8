using BenchmarkDotNet.Attributes;
using QuantPipeline.Training.Training;
using QuantPipeline.Training.Workloads;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantPipeline.Benchmarks;

/// <summary>
/// W3 <c>mlp-158</c> (BENCHMARKS.md): one epoch over 1,000,000 samples on CPU with 2 threads,
/// data feeding included (sample matrix → tensor → batches). Samples/s = 1,000,000 / Mean.
/// The plain loop is the reference the issue quotes: a tensor indexed per batch, nothing else.
/// </summary>
[MemoryDiagnoser]
public class W3TrainingBenchmarks
{
    private float[] _features = [];
    private float[] _labels = [];

    [Params(1_000_000)]
    public int Samples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        (_features, _labels) = TrainingWorkloads.W3Data(Samples);
    }

    [Benchmark]
    public double Trainer()
    {
        using var trained = TrainingWorkloads.RunW3(_features, _labels, TrainingWorkloads.W3Options(DeviceChoice.Cpu, threads: 2));
        return trained.Card.Curve[^1].TrainLoss;
    }

    [Benchmark(Baseline = true)]
    public double PlainIndexingLoop()
    {
        random.manual_seed(1);
        using var model = nn.Sequential(
            ("l0", nn.Linear(158, 256)), ("r0", nn.ReLU()), ("l1", nn.Linear(256, 128)), ("r1", nn.ReLU()), ("out", nn.Linear(128, 1)));
        using var x = tensor(_features, [Samples, 158]);
        using var y = tensor(_labels, [Samples, 1]);
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        using var order = randperm(Samples);
        double last = 0;
        for (long start = 0; start < Samples; start += 4096)
        {
            using var step = NewDisposeScope();
            var index = order.narrow(0, start, Math.Min(4096, Samples - start));
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x.index_select(0, index)), y.index_select(0, index));
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
        }

        return last;
    }
}
