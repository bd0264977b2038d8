using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Compute.Gpu;
using QuantPipeline.GpuCheck;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>
/// The GPU rolling kernels split time into chunks that each rebuild their state from the lookback rows; the
/// results must match the GPU check's float64 reference for any chunk length, including chunks shorter than the window,
/// and the shared-memory rank must match it for rows wider than one thread group.
/// </summary>
public class GpuChunkedKernelTests
{
    private const int T = 75;
    private const int N = 9;

    private static readonly Lazy<GpuBackend> Gpu = new(() => new GpuBackend(forceCpu: true) { SharedMemoryRank = true });

    private static readonly object ChunkGate = new();

    public static TheoryData<int, RollingOp> ChunkCases()
    {
        var data = new TheoryData<int, RollingOp>();
        foreach (var chunk in new[] { 0, 1, 4, 23 })
        {
            foreach (var op in Enum.GetValues<RollingOp>())
            {
                data.Add(chunk, op);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ChunkCases))]
    public void Rolling_matches_the_reference_for_any_chunk_length(int chunk, RollingOp op)
    {
        var src = Series();
        var spec = new RollingSpec(11, 4, 1, 0.3);
        var actual = new float[src.Length];
        lock (ChunkGate)
        {
            Gpu.Value.ChunkRows = chunk;
            Gpu.Value.Rolling(op, src, actual, T, N, spec);
        }

        Numbers.AssertClose(ScalarReference.Rolling(op, src, T, N, spec), actual, $"gpu rolling {op}, chunk {chunk}");
    }

    [Theory]
    [InlineData(0, RollingPairOp.Cov)]
    [InlineData(3, RollingPairOp.Cov)]
    [InlineData(3, RollingPairOp.Corr)]
    [InlineData(40, RollingPairOp.Corr)]
    public void Rolling_pairs_match_the_reference_for_any_chunk_length(int chunk, RollingPairOp op)
    {
        var a = Series();
        var b = Numbers.RandomWalk(T, N, seed: 8);
        var spec = new RollingSpec(9, 3);
        var actual = new float[a.Length];
        lock (ChunkGate)
        {
            Gpu.Value.ChunkRows = chunk;
            Gpu.Value.RollingPair(op, a, b, actual, T, N, spec);
        }

        Numbers.AssertClose(ScalarReference.RollingPair(op, a, b, T, N, spec), actual, $"gpu rolling {op}, chunk {chunk}");
    }

    public static TheoryData<int, double, bool, int> EwmCases() => new()
    {
        { 0, 0.2, true, 1 },
        { 1, 0.2, false, 1 },
        { 4, 0.05, true, 3 },
        { 4, 0.05, false, 30 },
        { 9, 0.5, true, 1 },
        { 23, 0.3, false, 12 },
    };

    [Theory]
    [MemberData(nameof(EwmCases))]
    public void Ewm_matches_the_reference_for_any_chunk_length(int chunk, double alpha, bool adjust, int minPeriods)
    {
        var src = Series();
        var spec = new EwmSpec(alpha, adjust, minPeriods);
        var actual = new float[src.Length];
        lock (ChunkGate)
        {
            Gpu.Value.ChunkRows = chunk;
            Gpu.Value.Ewm(src, actual, T, N, spec);
        }

        Numbers.AssertClose(ScalarReference.Ewm(src, T, N, spec), actual, $"gpu ewm alpha {alpha} adjust {adjust}, chunk {chunk}");
    }

    [Theory]
    [InlineData(0, 14)]
    [InlineData(1, 5)]
    [InlineData(4, 14)]
    [InlineData(16, 3)]
    public void Rsi_matches_the_reference_for_any_chunk_length(int chunk, int period)
    {
        var src = Series();
        var actual = new float[src.Length];
        lock (ChunkGate)
        {
            Gpu.Value.ChunkRows = chunk;
            Gpu.Value.Rsi(src, actual, T, N, period);
        }

        Numbers.AssertClose(ScalarReference.Rsi(src, T, N, period), actual, $"gpu rsi {period}, chunk {chunk}");
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(300, false)]
    [InlineData(300, true)]
    [InlineData(1025, true)]
    public void Shared_memory_rank_matches_the_reference_with_ties_and_members(int n, bool masked)
    {
        const int t = 6;
        var rng = new Random(n);
        var src = new float[t * n];
        var mask = new bool[masked ? t * n : 0];
        for (var k = 0; k < src.Length; k++)
        {
            // Few distinct values force long runs of ties; NaN and ±∞ are never members.
            var roll = rng.Next(40);
            src[k] = roll switch
            {
                0 => float.NaN,
                1 => float.PositiveInfinity,
                2 => float.NegativeInfinity,
                3 => -0f,
                _ => roll % 7 - 3,
            };
            if (masked)
            {
                mask[k] = rng.Next(5) != 0;
            }
        }

        if (masked)
        {
            // A timestamp without members is all NaN.
            Array.Clear(mask, 0, n);
        }

        var spec = new CrossSectionalSpec(0.01, 0.99, 1);
        var actual = new float[src.Length];
        Gpu.Value.CrossSectional(CrossSectionalOp.Rank, src, mask, actual, t, n, spec);
        Numbers.AssertClose(ScalarReference.CrossSectional(CrossSectionalOp.Rank, src, mask, t, n, spec), actual, $"gpu rank, n {n}");
    }

    private static float[] Series()
    {
        // A random walk with gaps, then a falling and a rising run (the extreme leaves the window every bar),
        // repeated values (ties for argmin/argmax) and an all-NaN stretch longer than the window.
        var src = Numbers.RandomWalk(T, N, seed: 7);
        for (var j = 0; j < N; j++)
        {
            for (var i = 20; i < 35; i++)
            {
                src[i * N + j] = j % 2 == 0 ? 200 - i : 100 + i;
            }

            for (var i = 35; i < 40; i++)
            {
                src[i * N + j] = 150;
            }

            if (j == 3)
            {
                for (var i = 45; i < 60; i++)
                {
                    src[i * N + j] = float.NaN;
                }
            }
        }

        return src;
    }
}
