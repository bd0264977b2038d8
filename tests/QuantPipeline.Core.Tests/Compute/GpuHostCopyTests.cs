using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Compute.Gpu;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>
/// The cause of the test-host crashes: the GPU backend handed ILGPU raw references into unpinned managed arrays, so a
/// garbage collection during a host ↔ device copy moved the array and the copy read or wrote its old address (a
/// heap dump showed the 16 cells a compaction shifted an output array by written past its new end). Here collections
/// run on another thread without pause while fresh (movable, young) arrays go through every copy path, and each
/// result is checked cell by cell against a plain loop. The forced collections stall every thread in the process, so
/// these tests run alone, after the parallel classes (run beside them they slowed the whole suite to a standstill).
/// </summary>
[Collection(GcStressCollection.Name)]
public sealed class GpuHostCopyTests
{
    [Fact]
    public void Round_trips_keep_every_cell_while_collections_move_the_host_arrays()
    {
        // Copies only, no kernel launches: the accelerator's threads stay parked, so collections run back to back
        // and land inside the copies' window often (with unpinned references this failed within a few hundred trips).
        using var gpu = new GpuBackend(forceCpu: true);
        const int cells = 1024;
        using var device = gpu.Allocate(cells);
        var collections = RunWhileCollecting(pause: false, () =>
        {
            var random = new Random(11);
            for (var trip = 0; trip < 5_000; trip++)
            {
                _ = new byte[random.Next(16, 2048)];
                var source = new float[cells];
                for (var k = 0; k < cells; k++)
                {
                    source[k] = trip + (k * 0.25f);
                }

                HostCopies.Upload(device.View, source);
                _ = new byte[random.Next(16, 2048)];
                var back = new float[cells];
                HostCopies.Download(device.View, back);
                for (var k = 0; k < cells; k++)
                {
                    Assert.True(back[k] == source[k], $"trip {trip}, cell {k}: sent {source[k]}, got back {back[k]}");
                }
            }
        });
        Assert.True(collections > 0);
    }

    private static int RunWhileCollecting(bool pause, Action work)
    {
        using var stop = new CancellationTokenSource();
        var count = 0;
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: true);
                Interlocked.Increment(ref count);
                if (!pause)
                {
                    // A few microseconds between collections: back to back, suspending the copying thread for each one
                    // costs far more than the copies (minutes per thousand round trips with the suite's threads idle).
                    Thread.SpinWait(2000);
                }
                else
                {
                    // Between kernel launches the accelerator's threads spin: back-to-back collections would starve them.
                    Thread.Sleep(1);
                }
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            work();
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }

        return count;
    }

    [Fact]
    public void Copies_survive_garbage_collections_that_move_the_host_arrays()
    {
        using var gpu = new GpuBackend(forceCpu: true);
        const int cells = 3000;

        // Compile both kernels first: collections stall ILGPU's code generation far more than the copies.
        gpu.Unary(UnaryOp.Neg, new float[cells], new float[cells]);
        gpu.CrossSectional(CrossSectionalOp.Demean, new float[cells], new bool[cells], new float[cells], 1, cells, new CrossSectionalSpec());
        var collections = RunWhileCollecting(pause: true, () =>
        {
            var random = new Random(5);
            for (var iteration = 0; iteration < 200; iteration++)
            {
                // Garbage before and between the arrays gives each collection something to compact them over.
                _ = new byte[random.Next(64, 4096)];
                var x = new float[cells];
                _ = new byte[random.Next(64, 4096)];
                var mask = new bool[cells];
                var dst = new float[cells];
                for (var k = 0; k < cells; k++)
                {
                    x[k] = (float)((random.NextDouble() * 200) - 100);
                    mask[k] = k % 5 != 0;
                }

                gpu.Unary(UnaryOp.Neg, x, dst);
                for (var k = 0; k < cells; k++)
                {
                    Assert.True(dst[k] == -x[k], $"iteration {iteration}, cell {k}: expected {-x[k]}, got {dst[k]}");
                }

                // The cross-sectional path uploads the bool mask as bytes.
                var ranked = new float[cells];
                gpu.CrossSectional(CrossSectionalOp.Demean, x, mask, ranked, t: 1, n: cells, new CrossSectionalSpec());
                var sum = 0.0;
                var members = 0;
                for (var k = 0; k < cells; k++)
                {
                    if (mask[k])
                    {
                        sum += x[k];
                        members++;
                    }
                }

                var mean = sum / members;
                for (var k = 0; k < cells; k++)
                {
                    if (mask[k])
                    {
                        Assert.True(Math.Abs(ranked[k] - (x[k] - mean)) <= 1e-4 * (1 + Math.Abs(x[k])), $"iteration {iteration}, cell {k}: demeaned {ranked[k]}, expected {x[k] - mean}");
                    }
                    else
                    {
                        Assert.True(float.IsNaN(ranked[k]), $"iteration {iteration}, cell {k} is outside the mask but got {ranked[k]}");
                    }
                }
            }
        });

        // The collections really ran alongside the copies.
        Assert.True(collections > 0);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GcStressCollection
{
    public const string Name = "forced garbage collections";
}
