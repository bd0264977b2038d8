namespace QuantPipeline.Core.Validation;

/// <summary>
/// Combinatorial purged cross-validation (López de Prado, AFML ch. 12): N contiguous groups, every choice of k test
/// groups is a split (C(N, k) of them, in lexicographic order), training purged and embargoed around each test group.
/// Each group is tested in C(N−1, k−1) splits, which join into that many backtest paths covering the whole history.
/// </summary>
public sealed record CombinatorialPurgedCv(IReadOnlyList<DataSplit> Splits, (int First, int Last)[] Groups, int[][] Paths)
{
    /// <summary>
    /// <see cref="Paths"/>[p][g] is the split whose model predicts group g on path p: the p-th split, in order,
    /// that tests group g. So a path takes every group once, and every (split, test group) pair lies on exactly one path.
    /// </summary>
    public static CombinatorialPurgedCv Create(IReadOnlyList<LabelSpan> spans, int groups, int testGroups, int embargoSessions = 0)
    {
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentOutOfRangeException.ThrowIfNegative(embargoSessions);
        if (testGroups < 1 || testGroups >= groups)
        {
            throw new ArgumentOutOfRangeException(nameof(testGroups), $"Need 1 ≤ k < N test groups; got k = {testGroups}, N = {groups}.");
        }

        LabelSpan.Validate(spans);
        var bounds = SampleGroups.Split(spans.Count, groups);
        var splits = new List<DataSplit>();
        var pathCount = (int)Binomial(groups - 1, testGroups - 1);
        var paths = new int[pathCount][];
        for (var p = 0; p < pathCount; p++)
        {
            paths[p] = new int[groups];
        }

        var used = new int[groups];
        foreach (var combination in Combinations(groups, testGroups))
        {
            var blocks = combination.Select(g => HeldOutBlock.Of(spans, bounds[g].First, bounds[g].Last, embargoSessions)).ToArray();
            var tested = new HashSet<int>(combination);
            var candidates = Enumerable.Range(0, groups).Where(g => !tested.Contains(g)).SelectMany(g => Enumerable.Range(bounds[g].First, bounds[g].Last - bounds[g].First + 1));
            var (train, purged, embargoed) = DataSplit.Purge(spans, candidates, blocks);
            var test = combination.SelectMany(g => Enumerable.Range(bounds[g].First, bounds[g].Last - bounds[g].First + 1)).ToArray();
            foreach (var g in combination)
            {
                paths[used[g]++][g] = splits.Count;
            }

            splits.Add(new DataSplit(train, [], test, purged, embargoed) { TestGroups = combination });
        }

        return new CombinatorialPurgedCv(splits, bounds, paths);
    }

    public static long Binomial(int n, int k)
    {
        if (k < 0 || k > n)
        {
            return 0;
        }

        long result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }

    private static IEnumerable<int[]> Combinations(int n, int k)
    {
        var current = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return (int[])current.Clone();
            var i = k - 1;
            while (i >= 0 && current[i] == n - k + i)
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            current[i]++;
            for (var j = i + 1; j < k; j++)
            {
                current[j] = current[j - 1] + 1;
            }
        }
    }
}
