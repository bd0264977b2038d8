using QuantPipeline.Core.Validation;

namespace QuantPipeline.Core.Tests.Validation;

public class PurgedKFoldTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 5)]
    [InlineData(3, 21)]
    public void No_training_label_overlaps_any_test_label_and_the_embargo_holds(int seed, int embargo)
    {
        var spans = AdversarialLabels.Generate(600, seed);
        var splits = PurgedKFold.Split(spans, 5, embargo);
        Assert.Equal(5, splits.Count);
        Assert.Equal(Enumerable.Range(0, spans.Length), splits.SelectMany(s => s.Test).Order());
        foreach (var split in splits)
        {
            var testEnd = split.Test.Max(h => spans[h].End);
            var testStart = split.Test.Min(h => spans[h].Start);
            var train = split.Train.ToHashSet();
            foreach (var i in split.Train)
            {
                Assert.DoesNotContain(i, split.Test);
                Assert.All(split.Test, h => Assert.False(AdversarialLabels.Overlap(spans[i], spans[h]), $"train {spans[i]} overlaps test {spans[h]}"));
                Assert.False(spans[i].Start > testEnd && spans[i].Start <= testEnd + embargo, $"train {spans[i]} starts in the embargo after {testEnd}");
            }

            // Nothing is dropped without a reason: every excluded sample touches the test block or its embargo.
            var testSet = split.Test.ToHashSet();
            for (var i = 0; i < spans.Length; i++)
            {
                if (!testSet.Contains(i) && !train.Contains(i))
                {
                    var touches = spans[i].Start <= testEnd && spans[i].End >= testStart;
                    var embargoed = spans[i].Start > testEnd && spans[i].Start <= testEnd + embargo;
                    Assert.True(touches || embargoed, $"sample {spans[i]} was dropped for no reason");
                }
            }

            Assert.Equal(spans.Length - split.Test.Length, split.Train.Length + split.Purged + split.Embargoed);
        }
    }

    [Fact]
    public void Purging_uses_the_label_end_where_purging_from_the_start_would_leak()
    {
        // Sessions 0..9, one sample a session. Sample 1's label runs to session 6 (into the test fold 4..5);
        // test sample 5's label runs to session 8, past the fold's last start.
        LabelSpan[] spans =
        [
            new(0, 1), new(1, 6), new(2, 3), new(3, 3), new(4, 4),
            new(5, 8), new(6, 7), new(7, 7), new(8, 9), new(9, 9),
        ];
        var split = PurgedKFold.Split(spans, 5, embargoSessions: 1)[2];
        Assert.Equal([4, 5], split.Test);
        // The test block covers sessions 4..8 (label start of 4 to label END of 5). Purged: 1 (1..6), 6 (6..7),
        // 7 (7..7) and 8 (8..9), which all touch 4..8. Embargoed: 9, which starts one session after the block.
        Assert.Equal([0, 2, 3], split.Train);
        Assert.Equal(4, split.Purged);
        Assert.Equal(1, split.Embargoed);

        // A purge that compares label STARTS with the test window keeps samples 1, 6, 7 and 8, each of which shares
        // sessions with a test label: the leak this splitter is built to prevent.
        var naive = Enumerable.Range(0, spans.Length).Where(i => spans[i].Start < 4 || spans[i].Start > 5).ToArray();
        Assert.Contains(naive, i => split.Test.Any(h => AdversarialLabels.Overlap(spans[i], spans[h])));
    }

    [Fact]
    public void Unsorted_samples_are_rejected_with_the_offending_index()
    {
        var e = Assert.Throws<ArgumentException>(() => PurgedKFold.Split([new(0, 1), new(3, 4), new(2, 2)], 2));
        Assert.Contains("sample 2", e.Message);
    }
}
