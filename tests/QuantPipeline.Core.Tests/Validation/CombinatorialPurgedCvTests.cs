using QuantPipeline.Core.Validation;

namespace QuantPipeline.Core.Tests.Validation;

public class CombinatorialPurgedCvTests
{
    [Theory]
    [InlineData(6, 2, 15, 5)]
    [InlineData(5, 1, 5, 1)]
    [InlineData(7, 3, 35, 15)]
    public void Splits_and_paths_have_the_combinatorial_counts(int groups, int k, int splits, int paths)
    {
        var spans = AdversarialLabels.Generate(300, 7);
        var cv = CombinatorialPurgedCv.Create(spans, groups, k, embargoSessions: 2);
        Assert.Equal(splits, cv.Splits.Count);
        Assert.Equal(paths, cv.Paths.Length);
        // Every path takes every group exactly once, from a split that tests it.
        foreach (var path in cv.Paths)
        {
            Assert.Equal(groups, path.Length);
            for (var g = 0; g < groups; g++)
            {
                Assert.Contains(g, cv.Splits[path[g]].TestGroups);
            }
        }

        // Every (split, tested group) pair lies on exactly one path.
        var pairs = cv.Paths.SelectMany(p => p.Select((split, g) => (split, g))).ToList();
        Assert.Equal(pairs.Count, pairs.Distinct().Count());
        Assert.Equal(splits * k, pairs.Count);
    }

    [Theory]
    [InlineData(11, 0)]
    [InlineData(12, 3)]
    public void No_training_label_overlaps_a_test_label_in_any_split(int seed, int embargo)
    {
        var spans = AdversarialLabels.Generate(500, seed);
        var cv = CombinatorialPurgedCv.Create(spans, 6, 2, embargo);
        foreach (var split in cv.Splits)
        {
            var test = split.Test.ToHashSet();
            var groupEnds = split.TestGroups.Select(g => Enumerable.Range(cv.Groups[g].First, cv.Groups[g].Last - cv.Groups[g].First + 1).Max(h => spans[h].End)).ToArray();
            foreach (var i in split.Train)
            {
                Assert.DoesNotContain(i, test);
                Assert.All(split.Test, h => Assert.False(AdversarialLabels.Overlap(spans[i], spans[h]), $"train {spans[i]} overlaps test {spans[h]}"));
                Assert.All(groupEnds, end => Assert.False(spans[i].Start > end && spans[i].Start <= end + embargo, $"train {spans[i]} is in the embargo after {end}"));
            }

            // Training between two test groups survives when its labels stay clear of both.
            Assert.Equal(spans.Length - split.Test.Length, split.Train.Length + split.Purged + split.Embargoed);
        }
    }
}
