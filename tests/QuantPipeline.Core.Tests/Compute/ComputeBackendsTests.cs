using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Compute;

public class ComputeBackendsTests
{
    [Theory]
    [InlineData("managed", "managed")]
    [InlineData("native", "native")]
    [InlineData(" Managed ", "managed")]
    public void Named_backends_are_created_and_logged(string name, string expected)
    {
        var lines = new System.Collections.Concurrent.ConcurrentBag<string>();
        var previous = ComputeBackends.Log;
        ComputeBackends.Log = lines.Add;
        try
        {
            Assert.Equal(expected, ComputeBackends.Create(name).Name);
            // Other test classes may log through the same hook meanwhile, so look for our line among them.
            Assert.Contains($"compute backend: {expected} (requested)", lines);
        }
        finally
        {
            ComputeBackends.Log = previous;
        }
    }

    [Fact]
    public void Auto_takes_the_fastest_cpu_backend_of_the_benchmarks()
    {
        // Managed beats native on alpha158 by 9x and is within 15 % on F8 (benchmarks/README.md), even though
        // the test build copies libqpnative next to the assemblies.
        Assert.Equal("managed", ComputeBackends.Create("auto").Name);
    }

    [Fact]
    public void Unknown_backends_say_what_to_choose()
    {
        var unknown = Assert.Throws<ArgumentException>(() => ComputeBackends.Create("cuda"));
        Assert.Contains("auto, managed, native, gpu", unknown.Message);
    }

    [Fact]
    public void Gpu_backend_runs_on_cuda_or_says_it_fell_back_to_the_cpu_accelerator()
    {
        var lines = new List<string>();
        var previous = ComputeBackends.Log;
        ComputeBackends.Log = lines.Add;
        try
        {
            var gpu = ComputeBackends.Create("gpu");
            Assert.Equal("gpu", gpu.Name);
            Assert.Contains(lines, l => l.Contains("compute backend: gpu (requested)", StringComparison.Ordinal));

            // A small rolling mean agrees with the managed backend whichever accelerator ran it.
            float[] src = [1, 2, 3, 4, 5, 6, 7, 8];
            var onGpu = new float[8];
            var managed = new float[8];
            gpu.RollingMean(src, onGpu, 4, 2, 2, 2);
            ComputeBackends.Create("managed").RollingMean(src, managed, 4, 2, 2, 2);
            Assert.Equal(managed, onGpu);
        }
        finally
        {
            ComputeBackends.Log = previous;
        }
    }
}
