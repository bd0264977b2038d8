using QuantPipeline.Core.Validation;

namespace QuantPipeline.Core.Tests.Validation;

public class WalkForwardSplitterTests
{
    private static DateOnly[] Sessions(int count)
    {
        var list = new List<DateOnly>();
        for (var d = new DateOnly(2015, 1, 5); list.Count < count; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                list.Add(d);
            }
        }

        return [.. list];
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(false, 5)]
    public void Windows_follow_the_sessions_and_no_label_crosses_into_a_later_window(bool expanding, int embargo)
    {
        var sessions = Sessions(900);
        var spans = AdversarialLabels.Generate(sessions.Length, 21);
        var options = new WalkForwardOptions { TrainingSessions = 300, ValidationSessions = 100, Expanding = expanding, EmbargoSessions = embargo };
        var retrains = RetrainSchedule.Dates(sessions, "monthly", firstIndex: 400);
        var splits = WalkForwardSplitter.Split(sessions, spans, retrains, options);
        Assert.Equal(retrains.Count, splits.Count);
        for (var k = 0; k < splits.Count; k++)
        {
            var split = splits[k];
            var r = Array.IndexOf(sessions, retrains[k]);
            var next = k + 1 < splits.Count ? Array.IndexOf(sessions, retrains[k + 1]) : sessions.Length;
            Assert.Equal(r, split.RetrainSession);
            var validationFrom = r - 100;
            var trainFrom = expanding ? 0 : validationFrom - 300;

            // Independent definitions: test = every sample starting in [r, next); validation = samples starting in the
            // validation window whose labels end before r; training = samples starting in the training window whose
            // labels end before the validation window.
            Assert.Equal(Indices(spans, s => s.Start >= r && s.Start < next), split.Test);
            Assert.Equal(Indices(spans, s => s.Start >= validationFrom && s.Start < r && s.End < r), split.Validation);
            Assert.Equal(Indices(spans, s => s.Start >= trainFrom && s.Start < validationFrom && s.End < validationFrom), split.Train);

            // The leak property, pairwise.
            foreach (var i in split.Train)
            {
                Assert.All(split.Validation.Concat(split.Test), h => Assert.False(AdversarialLabels.Overlap(spans[i], spans[h])));
            }

            foreach (var v in split.Validation)
            {
                Assert.All(split.Test, h => Assert.False(AdversarialLabels.Overlap(spans[v], spans[h])));
            }
        }

        // Monthly retrains: each test window runs from the first session of a month to the last one.
        Assert.All(retrains.Skip(1), d => Assert.True(Array.IndexOf(sessions, d) == 0 || sessions[Array.IndexOf(sessions, d) - 1].Month != d.Month));
    }

    [Fact]
    public void A_long_label_before_validation_is_purged_even_when_no_validation_sample_starts_there()
    {
        // Ten sessions; training 4, validation 2, retrain at session 6. Sample (3, 4) is the last training sample and
        // its label ends in the validation window where no sample starts; (2, 2) is clean.
        var sessions = Sessions(10);
        LabelSpan[] spans = [new(0, 1), new(1, 1), new(2, 2), new(3, 4), new(6, 7), new(8, 9)];
        var split = WalkForwardSplitter.Split(sessions, spans, [sessions[6]], new WalkForwardOptions { TrainingSessions = 4, ValidationSessions = 2 }).Single();
        Assert.Equal([0, 1, 2], split.Train);
        Assert.Empty(split.Validation);
        Assert.Equal([4, 5], split.Test);
        Assert.Equal(1, split.Purged);
    }

    [Fact]
    public void A_retrain_date_without_enough_history_says_what_is_needed()
    {
        var sessions = Sessions(50);
        var e = Assert.Throws<ArgumentException>(() => WalkForwardSplitter.Split(sessions, [new(0, 1)], [sessions[20]], new WalkForwardOptions { TrainingSessions = 20, ValidationSessions = 10 }));
        Assert.Contains(sessions[20].ToString("yyyy-MM-dd"), e.Message);
        Assert.Contains("need 30", e.Message);
        var holiday = Assert.Throws<ArgumentException>(() => WalkForwardSplitter.Split(sessions, [new(0, 1)], [new DateOnly(2015, 1, 10)], new WalkForwardOptions()));
        Assert.Contains("2015-01-10 is not a session", holiday.Message);
    }

    [Fact]
    public void Label_spans_come_from_dates_on_the_session_list()
    {
        var sessions = Sessions(10);
        var spans = LabelSpan.FromDates(sessions, [(sessions[0], sessions[1]), (sessions[4], sessions[9])]);
        Assert.Equal([new LabelSpan(0, 1), new LabelSpan(4, 9)], spans);
        var e = Assert.Throws<ArgumentException>(() => LabelSpan.FromDates(sessions, [(sessions[0], new DateOnly(2015, 1, 11))]));
        Assert.Contains("2015-01-11", e.Message);
    }

    [Fact]
    public void Retrain_schedules_take_the_first_session_of_each_period()
    {
        var sessions = Sessions(70); // 2015-01-05 .. 2015-04-10
        Assert.Equal([new(2015, 1, 5), new(2015, 2, 2), new(2015, 3, 2), new(2015, 4, 1)], RetrainSchedule.Dates(sessions, "monthly"));
        Assert.Equal([new(2015, 1, 5), new(2015, 4, 1)], RetrainSchedule.Dates(sessions, "quarterly"));
        Assert.Equal(new DateOnly(2015, 1, 12), RetrainSchedule.Dates(sessions, "weekly")[1]);
        Assert.Equal(70, RetrainSchedule.Dates(sessions, "daily").Count);
    }

    private static int[] Indices(LabelSpan[] spans, Func<LabelSpan, bool> predicate) =>
        Enumerable.Range(0, spans.Length).Where(i => predicate(spans[i])).ToArray();
}
