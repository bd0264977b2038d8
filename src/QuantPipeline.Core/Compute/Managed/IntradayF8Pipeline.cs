using System.Runtime.Intrinsics;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Runs the fused F8 kernel as a pipeline over time chunks, so the cross-sectional rank overlaps the sweep instead of
/// following it: the sweep of a chunk (per column part) streams ten outputs per cell to memory, the rank of a finished
/// chunk is arithmetic on rows that fit in L1, and no core waits for the other phase to end. Workers take, in order of
/// preference, the next rank task of a chunk whose every part is swept (while at most half the workers rank), else the
/// next sweep task (chunk-major, so a part's previous chunk is already done), else a rank task regardless. On W1 this
/// made the call CPU-bound (wall ≈ CPU time / 2). Values are those of the one-pass kernel: each part's rows still run
/// in order. A worker that fails stops the others (none is left waiting on its part) and the error propagates.
/// </summary>
internal static unsafe class IntradayF8Pipeline
{
    /// <summary>Rows per sweep task: long enough that reloading a part's ~150 KB of state is a few percent.</summary>
    internal const int ChunkRows = 128;

    /// <summary>Rows per rank task (about 0.25 ms on W1's 3,000 symbols).</summary>
    internal const int RankRows = 32;

    private const int BlockWidth = 512;

    /// <summary>Sweeps and ranks on <paramref name="workers"/> threads; the rank is in place on output 8.</summary>
    internal static void Run(IntradayF8Kernel kernel, float* rank, bool* mask, int t, int n, int workers)
    {
        var parts = Parts(kernel, n);
        var chunks = (t + ChunkRows - 1) / ChunkRows;
        var sweepTasks = chunks * parts.Length;
        var rankTasks = (t + RankRows - 1) / RankRows;
        var partsDone = new int[chunks];
        var nextSweep = 0;
        var nextRank = 0;
        var ranking = 0;
        var failed = 0;
        var maxRanking = Math.Max(1, workers / 2);

        bool RankReady(int task)
        {
            var lastRow = Math.Min(t, (task + 1) * RankRows) - 1;
            return Volatile.Read(ref partsDone[task * RankRows / ChunkRows]) == parts.Length
                && Volatile.Read(ref partsDone[lastRow / ChunkRows]) == parts.Length;
        }

        bool TryRank(RowSorter sorter, bool sweepLeft)
        {
            var task = Volatile.Read(ref nextRank);
            if (task >= rankTasks || !RankReady(task) || (sweepLeft && Volatile.Read(ref ranking) >= maxRanking)
                || Interlocked.CompareExchange(ref nextRank, task + 1, task) != task)
            {
                return false;
            }

            Interlocked.Increment(ref ranking);
            try
            {
                for (var i = task * RankRows; i < Math.Min(t, (task + 1) * RankRows); i++)
                {
                    var row = rank + (long)i * n;
                    sorter.Rank(row, mask == null ? null : mask + (long)i * n, n, row);
                }
            }
            finally
            {
                Interlocked.Decrement(ref ranking);
            }

            return true;
        }

        void Worker()
        {
            try
            {
                Work();
            }
            catch
            {
                Volatile.Write(ref failed, 1);
                throw;
            }
        }

        void Work()
        {
            var sorter = new RowSorter(n);
            var spin = new SpinWait();
            while (Volatile.Read(ref failed) == 0)
            {
                var sweepLeft = Volatile.Read(ref nextSweep) < sweepTasks;
                if (TryRank(sorter, sweepLeft))
                {
                    continue;
                }

                var task = sweepLeft ? Interlocked.Increment(ref nextSweep) - 1 : sweepTasks;
                if (task < sweepTasks)
                {
                    var chunk = task / parts.Length;
                    var part = parts[task % parts.Length];
                    // The part's previous chunk was taken one round of parts earlier; wait should it still be running.
                    while (Volatile.Read(ref part.RowsDone) < chunk * ChunkRows)
                    {
                        if (Volatile.Read(ref failed) != 0)
                        {
                            return;
                        }

                        spin.SpinOnce();
                    }

                    var rowEnd = Math.Min(t, (chunk + 1) * ChunkRows);
                    part.Sweep(kernel, chunk * ChunkRows, rowEnd);
                    Volatile.Write(ref part.RowsDone, rowEnd);
                    Interlocked.Increment(ref partsDone[chunk]);
                    continue;
                }

                if (Volatile.Read(ref nextRank) >= rankTasks)
                {
                    return;
                }

                // Nothing to sweep and the next rank task waits on a chunk another worker is finishing.
                spin.SpinOnce();
            }
        }

        try
        {
            if (workers <= 1)
            {
                Worker();
                return;
            }

            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => Worker());
        }
        finally
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }

    /// <summary>Blocks of <see cref="BlockWidth"/> symbols, each split into its widest-vector part and a scalar remainder.</summary>
    private static Part[] Parts(IntradayF8Kernel kernel, int n)
    {
        var parts = new List<Part>();
        for (var first = 0; first < n; first += BlockWidth)
        {
            var count = Math.Min(BlockWidth, n - first);
            var (width, lanes) = Vector512.IsHardwareAccelerated && count >= 8 ? (512, 8)
                : Vector256.IsHardwareAccelerated && count >= 4 ? (256, 4)
                : Vector128.IsHardwareAccelerated && count >= 2 ? (128, 2)
                : (64, 1);
            var vectorised = count - count % lanes;
            if (vectorised > 0)
            {
                parts.Add(new Part(kernel, first, vectorised, width));
            }

            if (vectorised < count)
            {
                parts.Add(new Part(kernel, first + vectorised, count - vectorised, 64));
            }
        }

        return [.. parts];
    }

    /// <summary>A range of symbols swept with one lane width, with its state between chunks.</summary>
    private sealed class Part : IDisposable
    {
        private readonly int _first;
        private readonly int _count;
        private readonly int _width;
        private readonly IntradayF8Kernel.Scratch _scratch;

        internal Part(IntradayF8Kernel kernel, int first, int count, int width)
        {
            _first = first;
            _count = count;
            _width = width;
            _scratch = width switch
            {
                512 => kernel.CreateScratch<Vector512<double>, Lanes512>(count),
                256 => kernel.CreateScratch<Vector256<double>, Lanes256>(count),
                128 => kernel.CreateScratch<Vector128<double>, Lanes128>(count),
                _ => kernel.CreateScratch<double, ScalarLanes>(count),
            };
        }

        /// <summary>Rows swept so far (a multiple of <see cref="ChunkRows"/> until the last chunk).</summary>
        internal int RowsDone;

        public void Dispose() => _scratch.Dispose();

        internal void Sweep(IntradayF8Kernel kernel, int rowStart, int rowEnd)
        {
            switch (_width)
            {
                case 512:
                    kernel.Run<Vector512<double>, Lanes512>(_first, _count, _scratch, rowStart, rowEnd);
                    break;
                case 256:
                    kernel.Run<Vector256<double>, Lanes256>(_first, _count, _scratch, rowStart, rowEnd);
                    break;
                case 128:
                    kernel.Run<Vector128<double>, Lanes128>(_first, _count, _scratch, rowStart, rowEnd);
                    break;
                default:
                    kernel.Run<double, ScalarLanes>(_first, _count, _scratch, rowStart, rowEnd);
                    break;
            }
        }
    }
}
