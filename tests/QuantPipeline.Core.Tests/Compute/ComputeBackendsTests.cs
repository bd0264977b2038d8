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
        var lines = new List<string>();
        using (ComputeBackends.LogTo(lines.Add))
        {
            Assert.Equal(expected, ComputeBackends.Create(name).Name);
        }

        // The scope is this test's own: other test classes creating backends meanwhile log elsewhere.
        Assert.Equal([$"compute backend: {expected} (requested)"], lines);
    }

    [Fact]
    public async Task Log_scopes_on_concurrent_flows_keep_their_own_lines_and_restore_the_previous_sink()
    {
        var outer = new List<string>();
        using (ComputeBackends.LogTo(outer.Add))
        {
            // Two flows at once, each in its own scope, create backends in an interleaving the barrier forces.
            using var barrier = new Barrier(2);
            var a = new List<string>();
            var b = new List<string>();
            await Task.WhenAll(
                Task.Factory.StartNew(() => Flow(a, "managed", barrier), TaskCreationOptions.LongRunning),
                Task.Factory.StartNew(() => Flow(b, "native", barrier), TaskCreationOptions.LongRunning));

            Assert.Equal(Enumerable.Repeat("compute backend: managed (requested)", 3), a);
            Assert.Equal(Enumerable.Repeat("compute backend: native (requested)", 3), b);

            // Leaving the inner scopes gave this flow its own sink back.
            ComputeBackends.Create("managed");
        }

        Assert.Equal(["compute backend: managed (requested)"], outer);

        static void Flow(List<string> lines, string backend, Barrier barrier)
        {
            using (ComputeBackends.LogTo(lines.Add))
            {
                for (var i = 0; i < 3; i++)
                {
                    barrier.SignalAndWait();
                    ComputeBackends.Create(backend);
                }
            }
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
        using (ComputeBackends.LogTo(lines.Add))
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
    }
}
