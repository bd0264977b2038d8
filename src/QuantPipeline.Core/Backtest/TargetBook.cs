namespace QuantPipeline.Core.Backtest;

/// <summary>
/// Target weights per signal row, sparse: row t holds <see cref="Count"/>[t] (name, weight) pairs. Built once per
/// portfolio construction and shared by every variant that differs only in costs, timing or rebalancing.
/// Only names with a finite signal are candidates; what caps remove stays in cash.
/// Equal-weight books (quantiles, top-k) keep two weights per row — the first <c>split</c> names carry the first,
/// the rest the second — instead of one per name; the per-name array is built only if <see cref="Weights"/> is asked for.
/// </summary>
public sealed class TargetBook
{
    private readonly int _capacity;
    private readonly int[] _names;
    private readonly int[]? _split;
    private readonly double[]? _first;
    private readonly double[]? _second;
    private readonly Lock _materialise = new();
    private double[]? _weights;
    private Progress? _progress;

    private TargetBook(int t, int capacity, bool equalWeight)
    {
        T = t;
        _capacity = capacity;
        // Uninitialised: a row is read only up to its count, and every such entry is written by the build.
        _names = GC.AllocateUninitializedArray<int>((long)t * capacity > int.MaxValue ? throw new ArgumentException("The target book is too large; backtest in time chunks.") : t * capacity);
        if (equalWeight)
        {
            _split = new int[t];
            _first = new double[t];
            _second = new double[t];
        }
        else
        {
            _weights = GC.AllocateUninitializedArray<double>(t * capacity);
        }

        Count = new int[t];
    }

    public int T { get; }

    public int[] Count { get; }

    public ReadOnlySpan<int> Names(int row) => _names.AsSpan(row * _capacity, Count[row]);

    public ReadOnlySpan<double> Weights(int row) => (_weights ?? Materialise()).AsSpan(row * _capacity, Count[row]);

    /// <summary>The weight of the <paramref name="s"/>-th target of <paramref name="row"/>.</summary>
    internal double Weight(int row, int s) =>
        _split is null ? _weights![row * _capacity + s] : s < _split[row] ? _first![row] : _second![row];

    /// <summary>
    /// For an equal-weight book: the first <paramref name="split"/> targets of the row weigh <paramref name="first"/>,
    /// the rest <paramref name="second"/>. False for a book with a weight per name.
    /// </summary>
    internal bool Sides(int row, out int split, out double first, out double second)
    {
        if (_split is null)
        {
            (split, first, second) = (0, 0, 0);
            return false;
        }

        (split, first, second) = (_split[row], _first![row], _second![row]);
        return true;
    }

    private double[] Materialise()
    {
        lock (_materialise)
        {
            if (_weights is null)
            {
                var weights = new double[_names.Length];
                for (var row = 0; row < T; row++)
                {
                    for (var s = 0; s < Count[row]; s++)
                    {
                        weights[row * _capacity + s] = Weight(row, s);
                    }
                }

                _weights = weights;
            }

            return _weights;
        }
    }

    /// <summary>Targets for every signal row; rows are independent and built in parallel.</summary>
    public static TargetBook Build(ReadOnlySpan<float> signal, int t, int n, BacktestOptions options, int maxDegreeOfParallelism = -1) =>
        Build(signal.ToArray(), t, n, options, maxDegreeOfParallelism);

    /// <summary>Targets for every signal row, reading the array in place.</summary>
    public static TargetBook Build(float[] signal, int t, int n, BacktestOptions options, int maxDegreeOfParallelism = -1)
    {
        var book = Create(signal, t, n, options);

        // Blocks of rows, one scratch per block: rows cost the same, so a few blocks per core balance the load.
        var workers = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        var blocks = Math.Min(t, 4 * workers);
        Parallel.For(
            0,
            blocks,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            block => book.BuildRows(signal, n, options, new Scratch(n), (int)((long)block * t / blocks), (int)((long)(block + 1) * t / blocks)));
        return book;
    }

    /// <summary>
    /// Starts building the targets on a background worker and returns at once. A reader calls <see cref="WaitRow"/>
    /// before reading a row (building the next unclaimed rows itself while it waits) and <see cref="FinishBuild"/> at
    /// the end, so that one backtest pass consumes the rows in order while they are being selected and selection and
    /// the pass share the cores.
    /// </summary>
    internal static TargetBook StartBuild(float[] signal, int t, int n, BacktestOptions options)
    {
        var book = Create(signal, t, n, options);
        book._progress = new Progress(book, signal, n, options);
        return book;
    }

    /// <summary>Returns once <paramref name="row"/> is built (at once for a finished book).</summary>
    internal void WaitRow(int row) => _progress?.WaitRow(row);

    /// <summary>Waits for the background worker of <see cref="StartBuild"/> and rethrows what it failed with.</summary>
    internal void FinishBuild() => _progress?.Finish();

    private static TargetBook Create(float[] signal, int t, int n, BacktestOptions options)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (signal.Length != t * n)
        {
            throw new ArgumentException($"The signal holds {signal.Length} values; {t}×{n} are needed.");
        }

        var capacity = options.Construction switch
        {
            PortfolioConstruction.LongShortQuantile => Math.Max(1, 2 * (int)Math.Floor(n * options.Quantile)),
            PortfolioConstruction.LongOnlyTopK => Math.Min(n, options.TopK),
            _ => n,
        };
        return new TargetBook(t, capacity, options.Construction is PortfolioConstruction.LongShortQuantile or PortfolioConstruction.LongOnlyTopK);
    }

    private void BuildRows(float[] signal, int n, BacktestOptions options, Scratch scratch, int from, int to)
    {
        var capacity = _capacity;
        for (var row = from; row < to; row++)
        {
            var weights = _split is not null ? scratch.Raw.AsSpan(0, capacity) : _weights.AsSpan(row * capacity, capacity);
            var count = BuildRow(signal.AsSpan(row * n, n), options, scratch, _names.AsSpan(row * capacity, capacity), weights);
            Count[row] = count;
            if (_split is not null && count > 0)
            {
                // Quantiles: the long side first, then the short side; top-k: one side.
                var split = options.Construction == PortfolioConstruction.LongShortQuantile ? count / 2 : count;
                (_split[row], _first![row], _second![row]) = (split, weights[0], weights[count - 1]);
            }
        }
    }

    private static int BuildRow(ReadOnlySpan<float> row, BacktestOptions options, Scratch scratch, Span<int> names, Span<double> weights)
    {
        switch (options.Construction)
        {
            case PortfolioConstruction.LongShortQuantile:
            {
                scratch.Selector.Select(row, options.Quantile, options.Quantile, int.MaxValue, scratch.Bottom, scratch.Top, out var k, out _);
                if (k < 1)
                {
                    return 0;
                }

                var side = SideWeight(k, options.GrossLeverage / 2, options.MaxWeight);
                for (var s = 0; s < k; s++)
                {
                    names[s] = scratch.Top[s];
                    weights[s] = side;
                    names[k + s] = scratch.Bottom[s];
                    weights[k + s] = -side;
                }

                return 2 * k;
            }

            case PortfolioConstruction.LongOnlyTopK:
            {
                scratch.Selector.Select(row, 0, 1, options.TopK, scratch.Bottom, scratch.Top, out _, out var k);
                if (k < 1)
                {
                    return 0;
                }

                var w = SideWeight(k, options.GrossLeverage, options.MaxWeight);
                for (var s = 0; s < k; s++)
                {
                    names[s] = scratch.Top[s];
                    weights[s] = w;
                }

                return k;
            }

            default:
            {
                var keys = scratch.Keys;
                var m = 0;
                for (var j = 0; j < row.Length; j++)
                {
                    if (float.IsFinite(row[j]))
                    {
                        keys[m++] = CrossSectionOrder.Key(row[j], j);
                    }
                }

                return RankWeights(keys.AsSpan(0, m), options, scratch, names, weights);
            }
        }
    }

    /// <summary>Equal weight of a side of <paramref name="count"/> names summing to <paramref name="gross"/>, capped.</summary>
    private static double SideWeight(int count, double gross, double cap) => Math.Min(gross / count, cap);

    private static int RankWeights(Span<ulong> valid, BacktestOptions options, Scratch scratch, Span<int> names, Span<double> weights)
    {
        var m = valid.Length;
        if (m < 2)
        {
            return 0;
        }

        valid.Sort();
        var raw = scratch.Raw;
        var start = 0;
        while (start < m)
        {
            // Tied signals share the average of their ranks.
            var end = start;
            while (end + 1 < m && CrossSectionOrder.ValueBits(valid[end + 1]) == CrossSectionOrder.ValueBits(valid[start]))
            {
                end++;
            }

            var rank = (start + end) / 2.0 + 1;
            for (var s = start; s <= end; s++)
            {
                raw[s] = options.DollarNeutral ? rank - (m + 1) / 2.0 : rank;
            }

            start = end + 1;
        }

        var count = 0;
        for (var s = 0; s < m; s++)
        {
            if (raw[s] != 0)
            {
                names[count] = CrossSectionOrder.Index(valid[s]);
                weights[count] = raw[s];
                count++;
            }
        }

        if (options.DollarNeutral)
        {
            var longGross = WaterFill(weights[..count], scratch.Capped, +1, options.GrossLeverage / 2, options.MaxWeight);
            var shortGross = WaterFill(weights[..count], scratch.Capped, -1, options.GrossLeverage / 2, options.MaxWeight);
            MatchSides(weights[..count], longGross, shortGross);
        }
        else
        {
            WaterFill(weights[..count], scratch.Capped, +1, options.GrossLeverage, options.MaxWeight);
        }

        return count;
    }

    /// <summary>
    /// Scales the weights of one sign to sum to <paramref name="gross"/> in absolute value with no |weight| above
    /// <paramref name="cap"/>: capped names are fixed at the cap and the rest rescaled until none exceeds it.
    /// Returns the side's gross (below the target when the cap binds on every name).
    /// </summary>
    internal static double WaterFill(Span<double> weights, Span<bool> capped, int sign, double gross, double cap)
    {
        capped[..weights.Length].Clear();
        var cappedCount = 0;
        while (true)
        {
            double free = 0;
            for (var s = 0; s < weights.Length; s++)
            {
                if (weights[s] * sign > 0 && !capped[s])
                {
                    free += Math.Abs(weights[s]);
                }
            }

            // With no capped names the cap does not enter (an infinite cap times zero names is NaN, not 0).
            var cappedGross = cappedCount == 0 ? 0 : cappedCount * cap;
            if (free == 0)
            {
                return cappedGross;
            }

            var scale = (gross - cappedGross) / free;
            var newlyCapped = 0;
            for (var s = 0; s < weights.Length; s++)
            {
                if (weights[s] * sign > 0 && !capped[s])
                {
                    weights[s] *= scale;
                    if (Math.Abs(weights[s]) > cap)
                    {
                        weights[s] = sign * cap;
                        capped[s] = true;
                        newlyCapped++;
                    }
                }
            }

            if (newlyCapped == 0)
            {
                return gross;
            }

            cappedCount += newlyCapped;
        }
    }

    private static void MatchSides(Span<double> weights, double longGross, double shortGross)
    {
        if (longGross == shortGross || longGross == 0 || shortGross == 0)
        {
            return;
        }

        var (sign, scale) = longGross > shortGross ? (1, shortGross / longGross) : (-1, longGross / shortGross);
        for (var s = 0; s < weights.Length; s++)
        {
            if (weights[s] * sign > 0)
            {
                weights[s] *= scale;
            }
        }
    }

    /// <summary>Rows built in chunks claimed in order by a background worker and by the reader while it waits.</summary>
    private sealed class Progress
    {
        private const int ChunkRows = 32;
        private readonly TargetBook _book;
        private readonly float[] _signal;
        private readonly int _n;
        private readonly BacktestOptions _options;
        private readonly int[] _ready;
        private readonly Task _worker;
        private Scratch? _readerScratch;
        private int _next;
        private Exception? _failure;

        public Progress(TargetBook book, float[] signal, int n, BacktestOptions options)
        {
            (_book, _signal, _n, _options) = (book, signal, n, options);
            _ready = new int[(book.T + ChunkRows - 1) / ChunkRows];
            _worker = Task.Run(() =>
            {
                var scratch = new Scratch(_n);
                while (TryBuildChunk(scratch))
                {
                }
            });
        }

        public void WaitRow(int row)
        {
            var chunk = row / ChunkRows;
            while (Volatile.Read(ref _ready[chunk]) == 0)
            {
                if (!TryBuildChunk(_readerScratch ??= new Scratch(_n)))
                {
                    Thread.SpinWait(32);
                }
            }

            if (Volatile.Read(ref _failure) is { } failure)
            {
                throw new InvalidOperationException("Building the target book failed.", failure);
            }
        }

        public void Finish()
        {
            _worker.Wait();
            if (_failure is { } failure)
            {
                throw new InvalidOperationException("Building the target book failed.", failure);
            }
        }

        private bool TryBuildChunk(Scratch scratch)
        {
            var chunk = Interlocked.Increment(ref _next) - 1;
            if (chunk >= _ready.Length)
            {
                return false;
            }

            try
            {
                _book.BuildRows(_signal, _n, _options, scratch, chunk * ChunkRows, Math.Min(_book.T, (chunk + 1) * ChunkRows));
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }

            Volatile.Write(ref _ready[chunk], 1);
            return true;
        }
    }

    private sealed class Scratch(int n)
    {
        public ulong[] Keys { get; } = new ulong[n];

        public double[] Raw { get; } = new double[n];

        public bool[] Capped { get; } = new bool[n];

        public int[] Bottom { get; } = new int[n];

        public int[] Top { get; } = new int[n];

        public ExtremeSelector Selector { get; } = new(n);
    }
}
