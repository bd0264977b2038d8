using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>
/// Cross-sectional rank on rows that stress the sorter's bucket map: outliers that squeeze every other value into one
/// bucket, ties (±0 included), distinct values one ulp apart, subnormals, the float range's ends and tiny rows.
/// </summary>
public class CrossSectionalRankTests
{
    private const int N = 600;

    public static TheoryData<string> BackendNames() => new(Backends.Names);

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void Rank_matches_the_reference_on_adversarial_rows(string backend)
    {
        var rows = AdversarialRows();
        var t = rows.Count;
        var src = rows.SelectMany(r => r).ToArray();
        var mask = src.Select((_, k) => k % 13 != 0).ToArray();
        var dst = new float[src.Length];

        Backends.Get(backend).CrossSectional(CrossSectionalOp.Rank, src, mask, dst, t, N, new CrossSectionalSpec());

        Numbers.AssertClose(ReferenceKernels.CrossSectional(CrossSectionalOp.Rank, src, mask, t, N, new CrossSectionalSpec()), dst, $"{backend} rank");
    }

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void Rank_matches_the_reference_on_adversarial_rows_without_a_mask(string backend)
    {
        // Without a mask, rows whose cells are all finite take the managed sorter's path that skips gathering.
        var rows = AdversarialRows();
        var t = rows.Count;
        var src = rows.SelectMany(r => r).ToArray();
        var dst = new float[src.Length];

        Backends.Get(backend).CrossSectional(CrossSectionalOp.Rank, src, [], dst, t, N, new CrossSectionalSpec());

        Numbers.AssertClose(ReferenceKernels.CrossSectional(CrossSectionalOp.Rank, src, null, t, N, new CrossSectionalSpec()), dst, $"{backend} rank without mask");
    }

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void Rank_of_wide_rows_with_ties_and_an_outlier_matches_the_reference(string backend)
    {
        // Full rows of 5,000 cells (no mask, all finite: the sorter's path without gathering), ties on a 1/64 grid in the even
        // rows and an outlier at 1e9 that crowds the rest into a few thousand buckets.
        const int t = 4, n = 5_000;
        var rng = new Random(12);
        var src = Enumerable.Range(0, t * n).Select(k => k % n == 17 ? 1e9f : MathF.Round((float)(rng.NextDouble() - 0.5) * 64) / 64 + (float)rng.NextDouble() * (k / n % 2)).ToArray();
        var dst = new float[src.Length];

        Backends.Get(backend).CrossSectional(CrossSectionalOp.Rank, src, [], dst, t, n, new CrossSectionalSpec());

        Numbers.AssertClose(ReferenceKernels.CrossSectional(CrossSectionalOp.Rank, src, null, t, n, new CrossSectionalSpec()), dst, $"{backend} rank of 5,000 cells");
    }

    [Fact]
    public unsafe void Rank_in_place_matches_the_reference_on_adversarial_rows()
    {
        // In place (as the fused F8 kernel ranks its window return): the ranks written during the sort overwrite the
        // row while the shared buckets still need their exact values.
        var rows = AdversarialRows();
        var t = rows.Count;
        var src = rows.SelectMany(r => r).ToArray();
        var mask = src.Select((_, k) => k % 13 != 0).ToArray();
        var expectedMasked = ReferenceKernels.CrossSectional(CrossSectionalOp.Rank, src, mask, t, N, new CrossSectionalSpec());
        var expectedAll = ReferenceKernels.CrossSectional(CrossSectionalOp.Rank, src, null, t, N, new CrossSectionalSpec());
        var masked = (float[])src.Clone();
        var all = (float[])src.Clone();
        fixed (float* m = masked, a = all)
        fixed (bool* mk = mask)
        {
            QuantPipeline.Core.Compute.Managed.CrossSectionalKernel.Run(CrossSectionalOp.Rank, m, mk, m, t, N, new CrossSectionalSpec());
            QuantPipeline.Core.Compute.Managed.CrossSectionalKernel.Run(CrossSectionalOp.Rank, a, null, a, t, N, new CrossSectionalSpec());
        }

        Numbers.AssertClose(expectedMasked, masked, "managed rank in place");
        Numbers.AssertClose(expectedAll, all, "managed rank in place without mask");
    }

    [Fact]
    public void Rank_of_hand_worked_ties_and_an_outlier()
    {
        // Valid: 1e30, 2, 2, −0, +0, 5 → sorted −0 = +0 < 2 = 2 < 5 < 1e30: ranks 1.5, 1.5, 3.5, 3.5, 5, 6 of 6.
        float[] row = [1e30f, 2f, float.NaN, 2f, -0f, 0f, 5f, float.PositiveInfinity];
        var dst = new float[row.Length];
        ManagedBackend.Instance.CrossSectional(CrossSectionalOp.Rank, row, [], dst, 1, row.Length, new CrossSectionalSpec());
        Assert.Equal([6 / 6f, 3.5f / 6, float.NaN, 3.5f / 6, 1.5f / 6, 1.5f / 6, 5 / 6f, float.NaN], dst);
    }

    private static List<float[]> AdversarialRows()
    {
        var rng = new Random(8);
        float[] Row(Func<int, float> value) => Enumerable.Range(0, N).Select(value).ToArray();
        return
        [
            Row(_ => (float)(0.01 * (rng.NextDouble() - 0.5))),
            Row(j => j == 7 ? 1e30f : j == 300 ? -1e30f : (float)(0.01 * (rng.NextDouble() - 0.5))),
            Row(j => j % 50 == 0 ? 1e17f : (float)rng.NextDouble()),
            Row(j => (j % 3) * 0.1f + (j % 7 == 0 ? -0f : 0f)),
            Row(j => j % 2 == 0 ? -0f : 0f),
            Row(j => j % 4 == 0 ? 1f : j % 4 == 1 ? MathF.BitIncrement(1f) : j % 4 == 2 ? MathF.BitDecrement(1f) : 1000f * (float)rng.NextDouble()),
            Row(j => j % 3 == 0 ? float.Epsilon * j : j % 3 == 1 ? 1f : -float.Epsilon * j),
            Row(j => j % 2 == 0 ? float.MaxValue : -float.MaxValue * (float)rng.NextDouble()),
            Row(_ => 42f),
            Row(j => j == 5 ? 3f : float.NaN),
            Row(j => j == 5 ? 3f : j == 9 ? -3f : float.NegativeInfinity),
            Row(_ => float.NaN),
        ];
    }
}
