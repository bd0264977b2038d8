namespace QuantPipeline.Core.Validation;

/// <summary>
/// Walk-forward splits: at each retrain date, train on the training window, validate on the
/// <see cref="WalkForwardOptions.ValidationSessions"/> sessions before the retrain date, and test out of sample from
/// the retrain date until the next one. Samples belong to the window holding their label start; training samples
/// whose labels reach into validation or test are purged, and so are validation samples whose labels reach into test,
/// so every training label ends before the validation window and every validation label before the retrain date.
/// </summary>
public static class WalkForwardSplitter
{
    public static IReadOnlyList<DataSplit> Split(
        IReadOnlyList<DateOnly> sessions,
        IReadOnlyList<LabelSpan> spans,
        IReadOnlyList<DateOnly> retrainDates,
        WalkForwardOptions options)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(retrainDates);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TrainingSessions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.ValidationSessions);
        ArgumentOutOfRangeException.ThrowIfNegative(options.EmbargoSessions);
        LabelSpan.Validate(spans);
        var index = new Dictionary<DateOnly, int>(sessions.Count);
        for (var k = 0; k < sessions.Count; k++)
        {
            index[sessions[k]] = k;
        }

        var retrains = new int[retrainDates.Count];
        for (var k = 0; k < retrainDates.Count; k++)
        {
            if (!index.TryGetValue(retrainDates[k], out retrains[k]))
            {
                throw new ArgumentException($"Retrain date {retrainDates[k]:yyyy-MM-dd} is not a session of the calendar; retrain on a trading session.", nameof(retrainDates));
            }

            if (k > 0 && retrains[k] <= retrains[k - 1])
            {
                throw new ArgumentException($"Retrain dates must be strictly ascending; {retrainDates[k]:yyyy-MM-dd} follows {retrainDates[k - 1]:yyyy-MM-dd}.", nameof(retrainDates));
            }

            var needed = options.TrainingSessions + options.ValidationSessions;
            if (retrains[k] < needed)
            {
                throw new ArgumentException(
                    $"Retrain date {retrainDates[k]:yyyy-MM-dd} has {retrains[k]} sessions of history; training {options.TrainingSessions} + validation {options.ValidationSessions} need {needed}. Start retraining at {sessions[Math.Min(needed, sessions.Count - 1)]:yyyy-MM-dd} or later, or shorten the windows.",
                    nameof(retrainDates));
            }
        }

        var splits = new List<DataSplit>(retrains.Length);
        for (var k = 0; k < retrains.Length; k++)
        {
            var testFrom = retrains[k];
            var testTo = k + 1 < retrains.Length ? retrains[k + 1] - 1 : sessions.Count - 1;
            var validationFrom = testFrom - options.ValidationSessions;
            var trainTo = validationFrom - 1;
            var trainFrom = options.Expanding ? 0 : trainTo - options.TrainingSessions + 1;

            var train = SamplesStartingIn(spans, trainFrom, trainTo);
            var validation = SamplesStartingIn(spans, validationFrom, testFrom - 1);
            var test = SamplesStartingIn(spans, testFrom, testTo);
            var testBlock = Window(spans, test, testFrom, testTo, options.EmbargoSessions);
            var validationBlock = Window(spans, validation, validationFrom, testFrom - 1, options.EmbargoSessions);
            var (keptValidation, purgedValidation, embargoedValidation) = DataSplit.Purge(spans, validation, [testBlock]);
            var (keptTrain, purgedTrain, embargoedTrain) = DataSplit.Purge(spans, train, [testBlock, validationBlock]);
            splits.Add(new DataSplit(keptTrain, keptValidation, test, purgedTrain + purgedValidation, embargoedTrain + embargoedValidation)
            {
                RetrainSession = testFrom,
            });
        }

        return splits;
    }

    private static int[] SamplesStartingIn(IReadOnlyList<LabelSpan> spans, int from, int to)
    {
        var result = new List<int>();
        for (var i = 0; i < spans.Count; i++)
        {
            if (spans[i].Start >= from && spans[i].Start <= to)
            {
                result.Add(i);
            }
        }

        return [.. result];
    }

    /// <summary>
    /// A window holds out its sessions as well as its samples' labels: a training label may not use a price from the
    /// validation or test window even where no sample starts on that session.
    /// </summary>
    private static HeldOutBlock Window(IReadOnlyList<LabelSpan> spans, int[] samples, int from, int to, int embargo)
    {
        if (samples.Length == 0)
        {
            return new HeldOutBlock(-1, -1, from, to, embargo);
        }

        var block = HeldOutBlock.Of(spans, samples[0], samples[^1], embargo);
        return block with { LabelStart = Math.Min(from, block.LabelStart), LabelEnd = Math.Max(to, block.LabelEnd) };
    }
}
