using QuantPipeline.Training.Processing;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantPipeline.Training.Data;

/// <summary>
/// Processed training data held as tensors. <see cref="Values"/> is the [cells, F] matrix of a
/// date window (cell = date × N + symbol, dates ascending), <see cref="Rows"/> the cells that are
/// samples. A sample of sequence length L is the L cells of its symbol ending at its date, so
/// recurrent and attention models read history straight from the same matrix; batches are
/// gathered with index_select, never assembled sample by sample.
/// </summary>
public sealed class SampleSet : IDisposable
{
    private readonly int _firstSampleDate;

    private SampleSet(
        Tensor values,
        Tensor labels,
        Tensor rows,
        Tensor rowDates,
        int symbolsPerDate,
        int sequenceLength,
        IReadOnlyList<string> featureNames,
        IReadOnlyList<DateTime> dates,
        ProcessorState? processors,
        ProcessingReport report,
        int firstSampleDate)
    {
        _firstSampleDate = firstSampleDate;
        Values = values;
        Labels = labels;
        Rows = rows;
        RowDates = rowDates;
        SymbolsPerDate = symbolsPerDate;
        SequenceLength = sequenceLength;
        FeatureNames = featureNames;
        Dates = dates;
        Processors = processors;
        Report = report;
    }

    /// <summary>[cells, F] float32, NaN already filled.</summary>
    public Tensor Values { get; }

    /// <summary>[cells] float32 processed labels (NaN where there is none).</summary>
    public Tensor Labels { get; }

    /// <summary>[samples] int64 cell index of each sample, ascending (so grouped by date).</summary>
    public Tensor Rows { get; }

    /// <summary>[samples] int64 date index of each sample within <see cref="Dates"/>.</summary>
    public Tensor RowDates { get; }

    public int SymbolsPerDate { get; }

    public int SequenceLength { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    public int FeatureCount => FeatureNames.Count;

    /// <summary>Dates of the window (including history bars that only feed sequences).</summary>
    public IReadOnlyList<DateTime> Dates { get; }

    public ProcessorState? Processors { get; }

    public ProcessingReport Report { get; }

    /// <summary>First date that carries samples (later than <see cref="Dates"/>[0] when history feeds sequences); null for a ready matrix.</summary>
    public DateTime? FirstSampleDate => Dates.Count == 0 ? null : Dates[_firstSampleDate];

    public DateTime? LastSampleDate => Dates.Count == 0 ? null : Dates[^1];

    public long Count => Rows.shape[0];

    /// <summary>
    /// Fits the processors on dates [from, to) and returns them with the training samples of that range.
    /// </summary>
    public static (ProcessorState State, SampleSet Samples) FitAndBuild(TrainingPanels panels, int from, int to, ProcessorOptions options, int sequenceLength = 1)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentNullException.ThrowIfNull(options);
        CheckRange(panels, from, to, sequenceLength);
        var (median, mad) = options.Features == FeatureNormalisation.RobustZScore
            ? FitRobust(panels, from, to)
            : ([], []);
        var provisional = new ProcessorState(options, [.. panels.FeatureNames], median, mad, panels.Dates[from], panels.Dates[to - 1], new ProcessingReport(0, 0, 0, 0, 0, 0));
        var samples = Build(panels, from, to, provisional, sequenceLength, fitting: true);
        return (samples.Processors!, samples);
    }

    /// <summary>Samples of dates [from, to) with processors fitted elsewhere (validation, test, live).</summary>
    public static SampleSet Build(TrainingPanels panels, int from, int to, ProcessorState state, int sequenceLength = 1)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentNullException.ThrowIfNull(state);
        CheckRange(panels, from, to, sequenceLength);
        if (!panels.FeatureNames.SequenceEqual(state.FeatureNames, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The processors were fitted on features [{string.Join(", ", state.FeatureNames)}] but the panels have [{string.Join(", ", panels.FeatureNames)}]; build both from the same feature set.");
        }

        return Build(panels, from, to, state, sequenceLength, fitting: false);
    }

    /// <summary>
    /// Samples from a ready row-major [rows, columns] matrix (one bulk copy into a tensor). Dates,
    /// when given, must be non-decreasing; they group rows for by-date sampling and the IC loss.
    /// </summary>
    public static SampleSet FromMatrix(float[] features, float[] labels, int rows, int columns, long[]? dateOfRow = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows < 1 || columns < 1 || features.Length != (long)rows * columns || labels.Length != rows || (dateOfRow is not null && dateOfRow.Length != rows))
        {
            throw new ArgumentException($"Expected {rows}×{columns} features, {rows} labels and {rows} dates (if any); got {features.Length}, {labels.Length} and {dateOfRow?.Length ?? rows}.");
        }

        var values = tensor(features, [rows, columns]);
        var labelTensor = tensor(labels, [rows]);
        var rowIndex = arange(rows, ScalarType.Int64);
        var dates = dateOfRow is null ? zeros(rows, ScalarType.Int64) : tensor(dateOfRow, [rows]);
        if (dateOfRow is not null && rows > 1)
        {
            using var scope = NewDisposeScope();
            if (!(dates.narrow(0, 1, rows - 1) >= dates.narrow(0, 0, rows - 1)).all().item<bool>())
            {
                throw new ArgumentException("Row dates must be non-decreasing: sort the sample matrix by date first.");
            }
        }

        var names = Enumerable.Range(0, columns).Select(c => $"f{c}").ToArray();
        var report = new ProcessingReport(rows, rows, 0, 0, 0, 0);
        return new SampleSet(values, labelTensor, rowIndex, dates, 1, 1, names, [], null, report, 0);
    }

    /// <summary>
    /// Gathers a batch: features [B, F] (or [B, L, F] for sequences), labels [B] and date indices [B]
    /// for the given sample positions.
    /// </summary>
    public (Tensor X, Tensor Y, Tensor Dates) Gather(Tensor positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var cells = Rows.index_select(0, positions);
        var y = Labels.index_select(0, cells);
        var dates = RowDates.index_select(0, positions);
        if (SequenceLength == 1)
        {
            return (Values.index_select(0, cells), y, dates);
        }

        var offsets = (arange(SequenceLength, ScalarType.Int64, device: cells.device) - (SequenceLength - 1)) * SymbolsPerDate;
        var history = cells.unsqueeze(1) + offsets.unsqueeze(0);
        var x = Values.index_select(0, history.view(-1)).view(cells.shape[0], SequenceLength, FeatureCount);
        return (x, y, dates);
    }

    /// <summary>Cell index → (date, symbol) positions of every sample, for writing predictions back.</summary>
    public (int Date, int Symbol)[] SamplePositions()
    {
        var cells = Rows.cpu().data<long>().ToArray();
        var n = SymbolsPerDate;
        return Array.ConvertAll(cells, c => ((int)(c / n), (int)(c % n)));
    }

    /// <summary>The same samples with tensors on another device; the copy owns its tensors.</summary>
    public SampleSet To(Device device) =>
        new(Values.to(device), Labels.to(device), Rows.to(device), RowDates.to(device), SymbolsPerDate, SequenceLength, FeatureNames, Dates, Processors, Report, _firstSampleDate);

    public void Dispose()
    {
        Values.Dispose();
        Labels.Dispose();
        Rows.Dispose();
        RowDates.Dispose();
    }

    private static void CheckRange(TrainingPanels panels, int from, int to, int sequenceLength)
    {
        if (from < 0 || to > panels.T || from >= to)
        {
            throw new ArgumentOutOfRangeException(nameof(from), $"Date range [{from}, {to}) is empty or outside the {panels.T} dates of the panels.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
    }

    private static SampleSet Build(TrainingPanels panels, int from, int to, ProcessorState state, int sequenceLength, bool fitting)
    {
        var n = panels.N;
        var f = panels.F;
        var windowFrom = Math.Max(0, from - (sequenceLength - 1));
        var sampleFrom = Math.Max(from - windowFrom, sequenceLength - 1);
        var t = to - windowFrom;
        var options = state.Options;

        using var scope = NewDisposeScope();
        var raw = StackFeatures(panels, windowFrom, to);
        var member = tensor(panels.Membership.AsSpan(windowFrom * n, t * n).ToArray(), [t, n]);
        var labelsRaw = tensor(panels.Labels.AsSpan(windowFrom * n, t * n).ToArray(), [t, n]).to_type(ScalarType.Float64);

        var x = raw.to_type(ScalarType.Float64);
        x = where(x.isfinite(), x, double.NaN);
        var valid = member.unsqueeze(2) & x.isfinite();
        x = options.Features switch
        {
            FeatureNormalisation.CrossSectionalZScore => CrossSectionOps.ZScore(x, valid),
            FeatureNormalisation.CrossSectionalRank => CrossSectionOps.Rank(x, valid),
            FeatureNormalisation.RobustZScore => Robust(x, state),
            _ => x,
        };
        if (options.Clip > 0)
        {
            x = x.clamp(-options.Clip, options.Clip);
        }

        var label = where(labelsRaw.isfinite(), labelsRaw, double.NaN).unsqueeze(2);
        var labelValid = member.unsqueeze(2) & label.isfinite();
        label = options.Labels switch
        {
            LabelNormalisation.CrossSectionalZScore => CrossSectionOps.ZScore(label, labelValid),
            LabelNormalisation.CrossSectionalRank => CrossSectionOps.Rank(label, labelValid),
            _ => label,
        };
        label = label.squeeze(2);

        var onSampleDates = zeros([t, n], ScalarType.Bool);
        onSampleDates.narrow(0, sampleFrom, t - sampleFrom).fill_(true);
        var candidate = member & onSampleDates;
        var labelOk = candidate & label.isfinite();
        var missingPerCell = x.isfinite().logical_not().sum(2);
        var featureMissing = missingPerCell > 0;
        var nonFinite = missingPerCell.masked_select(labelOk).sum().item<long>();
        var keep = options.Missing == MissingFeaturePolicy.Drop ? labelOk & featureMissing.logical_not() : labelOk;
        var candidates = candidate.sum().item<long>();
        var kept = keep.sum().item<long>();
        var droppedLabel = candidates - labelOk.sum().item<long>();
        var droppedFeature = options.Missing == MissingFeaturePolicy.Drop ? (labelOk & featureMissing).sum().item<long>() : 0;
        var filled = options.Missing == MissingFeaturePolicy.Fill ? nonFinite : 0;
        var report = new ProcessingReport(candidates, kept, droppedLabel, droppedFeature, nonFinite, filled);

        var values = where(x.isfinite(), x, options.FillValue).to_type(ScalarType.Float32).reshape(t * n, f).contiguous();
        var labels = label.to_type(ScalarType.Float32).reshape(t * n).contiguous();
        var rows = keep.reshape(-1).nonzero().squeeze(1);
        var rowDates = rows.div(n, rounding_mode: RoundingMode.floor);
        values.MoveToOuterDisposeScope();
        labels.MoveToOuterDisposeScope();
        rows.MoveToOuterDisposeScope();
        rowDates.MoveToOuterDisposeScope();

        var dates = panels.Dates.Skip(windowFrom).Take(t).ToArray();
        var finalState = fitting ? state with { FitReport = report } : state;
        return new SampleSet(values, labels, rows, rowDates, n, sequenceLength, state.FeatureNames, dates, finalState, report, sampleFrom);
    }

    /// <summary>[T, N, F] float32 from F time-major panels: one bulk copy per feature, then a permute.</summary>
    private static Tensor StackFeatures(TrainingPanels panels, int from, int to)
    {
        var n = panels.N;
        var cells = (to - from) * n;
        var stacked = empty([panels.F, to - from, n], ScalarType.Float32);
        var accessor = stacked.data<float>();
        for (var f = 0; f < panels.F; f++)
        {
            accessor.CopyFrom(panels.Features[f].AsSpan(from * n, cells), 0, (long)f * cells);
        }

        return stacked.permute(1, 2, 0);
    }

    private static Tensor Robust(Tensor x, ProcessorState state)
    {
        var f = state.FeatureNames.Count;
        var median = tensor(state.Median.ToArray(), [1, 1, f]);
        var scale = tensor(state.Mad.Select(m => m > 0 ? ProcessorState.MadToSigma * m : 1.0).ToArray(), [1, 1, f]);
        return (x - median) / scale;
    }

    /// <summary>Per-feature median and MAD over finite member values of the fit window (lower median for even counts).</summary>
    private static (double[] Median, double[] Mad) FitRobust(TrainingPanels panels, int from, int to)
    {
        using var scope = NewDisposeScope();
        var n = panels.N;
        var t = to - from;
        var x = StackFeatures(panels, from, to).to_type(ScalarType.Float64);
        var member = tensor(panels.Membership.AsSpan(from * n, t * n).ToArray(), [t, n]);
        var median = new double[panels.F];
        var mad = new double[panels.F];
        for (var f = 0; f < panels.F; f++)
        {
            var column = x.select(2, f);
            var values = column.masked_select(member & column.isfinite());
            if (values.shape[0] == 0)
            {
                throw new InvalidOperationException(
                    $"Feature '{panels.FeatureNames[f]}' has no finite value for a universe member between {panels.Dates[from]:yyyy-MM-dd} and {panels.Dates[to - 1]:yyyy-MM-dd}; the robust z-score cannot be fitted. Check the feature's lookback or widen the training window.");
            }

            median[f] = values.median().item<double>();
            mad[f] = (values - median[f]).abs().median().item<double>();
        }

        return (median, mad);
    }
}
