using ILGPU;
using ILGPU.Algorithms;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>
/// The backtest sweep in two launches. First the cross-sectional order of every signal row, once for all variants:
/// each finite name's position in the row sorted ascending with ties broken by name index (the order of
/// Backtest.CrossSectionOrder), −1 for a non-finite signal, and the row's finite count after the T·N positions.
/// A quantile or top-k book of any size is then a comparison of a name's position with the row's count.
/// Second the book pass: one thread group per variant walks the bars in order, its threads striding over the names
/// (consecutive threads take consecutive names, so reads coalesce); per bar it closes unpriced positions, accrues
/// and drifts the book, trades to the targets on a rebalance bar and charges commission, half-spread, square-root
/// impact and borrow, with group sums where the bar needs a total (within each warp by shuffles, then one barrier and
/// a read of the warps' totals from shared memory). The semantics are those of
/// Backtest.VectorisedBacktest; weights, sums and costs are float64.
/// </summary>
internal static partial class GpuKernels
{
    /// <summary>Largest thread group of the book pass.</summary>
    public const int SweepGroupCapacity = 256;

    /// <summary>Shared slots per summed quantity: one per warp, or one per thread in a group smaller than a warp.</summary>
    private const int SweepSlots = 64;

    /// <summary>Per-bar outputs of the book pass, in the order of the output buffer's blocks.</summary>
    public const int SweepGross = 0, SweepNet = 1, SweepTurnover = 2, SweepCommission = 3, SweepSpread = 4, SweepImpact = 5,
        SweepBorrow = 6, SweepLongExposure = 7, SweepShortExposure = 8, SweepLongs = 9, SweepShorts = 10, SweepForcedCloses = 11,
        SweepCosts = 12, SweepFields = 13;

    private const ulong NoKey = ulong.MaxValue;

    /// <summary>One thread per cell: counts the row's keys below its own (O(n) per cell, no shared memory).</summary>
    public static void SweepOrderCount(Index1D e, ArrayView<float> signal, ArrayView<int> order, SweepShape shape)
    {
        var n = shape.N;
        int cell = e;
        var row = cell / n;
        var j = cell - row * n;
        var start = (long)row * n;
        var key = OrderKey(signal[cell], j);
        var below = 0;
        var count = 0;
        for (var k = 0; k < n; k++)
        {
            var other = OrderKey(signal[start + k], k);
            if (other != NoKey)
            {
                count++;
                below += other < key ? 1 : 0;
            }
        }

        order[cell] = key == NoKey ? -1 : below;
        if (j == 0)
        {
            order[(long)shape.T * n + row] = count;
        }
    }

    /// <summary>One group per row: a bitonic sort of the row's keys in shared memory (rows up to <see cref="RankRowCapacity"/> names).</summary>
    public static void SweepOrderSorted(ArrayView<float> signal, ArrayView<int> order, SweepShape shape)
    {
        var keys = SharedMemory.Allocate<ulong>(RankRowCapacity);
        var n = shape.N;
        var row = Grid.IdxX;
        var start = (long)row * n;
        var tid = Group.IdxX;
        var threads = Group.DimX;
        var size = 1;
        while (size < n)
        {
            size <<= 1;
        }

        for (var k = tid; k < size; k += threads)
        {
            var key = k < n ? OrderKey(signal[start + k], k) : NoKey;
            if (k < n && key == NoKey)
            {
                order[start + k] = -1;
            }

            keys[k] = key;
        }

        Group.Barrier();
        for (var block = 2; block <= size; block <<= 1)
        {
            for (var stride = block >> 1; stride > 0; stride >>= 1)
            {
                for (var k = tid; k < size; k += threads)
                {
                    var partner = k ^ stride;
                    if (partner > k)
                    {
                        var a = keys[k];
                        var b = keys[partner];
                        if ((k & block) == 0 ? a > b : a < b)
                        {
                            keys[k] = b;
                            keys[partner] = a;
                        }
                    }
                }

                Group.Barrier();
            }
        }

        for (var k = tid; k < n; k += threads)
        {
            var key = keys[k];
            if (key != NoKey)
            {
                order[start + (int)(uint)key] = k;
            }

            // The last finite key sits just before the first placeholder (or at the end of a full row).
            if (key != NoKey && (k + 1 == size || keys[k + 1] == NoKey))
            {
                order[(long)shape.T * n + row] = k + 1;
            }
        }

        if (tid == 0 && keys[0] == NoKey)
        {
            order[(long)shape.T * n + row] = 0;
        }
    }

    /// <summary>
    /// The book pass: group g runs variant g over every bar. <paramref name="book"/> holds each variant's weights
    /// ([variants, N], float64); <paramref name="outputs"/> holds <see cref="SweepFields"/> blocks of [variants, T].
    /// </summary>
    public static void SweepBookPass(
        ArrayView<float> returns,
        ArrayView<float> gaps,
        ArrayView<float> volume,
        ArrayView<float> spreadPanel,
        ArrayView<int> order,
        ArrayView<double> denseTargets,
        ArrayView<SweepVariant> variants,
        ArrayView<double> book,
        ArrayView<double> outputs,
        SweepShape shape)
    {
        // Three regions of lanes (5 for the first phase, 8 for the second, 4 for the intraday drift at an open).
        var shared = SharedMemory.Allocate<double>(17 * SweepSlots);
        var sumsA = shared.SubView(0, 5 * SweepSlots);
        var sumsB = shared.SubView(5 * SweepSlots, 8 * SweepSlots);
        var sumsC = shared.SubView(13 * SweepSlots, 4 * SweepSlots);
        var v = Grid.IdxX;
        var count = Grid.DimX;
        var tid = Group.IdxX;
        var threads = Group.DimX;
        var byWarp = threads >= Warp.WarpSize;
        var slot = byWarp ? Warp.WarpIdx : tid;
        var slots = byWarp ? threads / Warp.WarpSize : threads;
        var o = variants[v];
        int t = shape.T, n = shape.N;
        var bookStart = (long)v * n;
        for (var j = tid; j < n; j += threads)
        {
            book[bookStart + j] = 0;
        }

        for (var i = 0; i < t; i++)
        {
            var cell0 = (long)i * n;
            var signalRow = o.NextOpen != 0 ? i - 1 : i - o.DelayBars;
            var trade = signalRow >= 0 && signalRow % o.RebalanceEvery == 0;
            var atOpen = trade && o.NextOpen != 0;

            // The row's book size and equal weight, the same for every thread of the group.
            var selected = 0;
            var side = 0.0;
            var finite = 0;
            if (trade && o.Construction != SweepVariant.DenseTargets)
            {
                finite = order[(long)t * n + signalRow];
                if (o.Construction == SweepVariant.LongShortQuantile)
                {
                    selected = (int)XMath.Floor(finite * o.Quantile);
                    side = selected < 1 ? 0 : XMath.Min(o.GrossLeverage / 2 / selected, o.MaxWeight);
                }
                else
                {
                    selected = XMath.Min(finite, o.TopK);
                    side = selected < 1 ? 0 : XMath.Min(o.GrossLeverage / selected, o.MaxWeight);
                }
            }

            // Phase A: close what has no price at this bar at its last price; sum the first leg and the short book.
            double leg = 0, shortBook = 0, turnover = 0, spread = 0, closed = 0;
            for (var j = tid; j < n; j += threads)
            {
                var w = book[bookStart + j];
                if (w == 0)
                {
                    continue;
                }

                var r = returns[cell0 + j];
                if (!IsFinite(r))
                {
                    var size = XMath.Abs(w);
                    turnover += size;
                    spread += size * HalfSpread(spreadPanel, shape, o, cell0 + j);
                    closed += 1;
                    book[bookStart + j] = 0;
                    continue;
                }

                shortBook += XMath.Max(-w, 0.0);
                leg += w * (atOpen ? Overnight(gaps, cell0 + j) : r);
            }

            Deposit(sumsA, 0, leg, byWarp, slot);
            Deposit(sumsA, 1, shortBook, byWarp, slot);
            Deposit(sumsA, 2, turnover, byWarp, slot);
            Deposit(sumsA, 3, spread, byWarp, slot);
            Deposit(sumsA, 4, closed, byWarp, slot);
            Group.Barrier();
            var firstLeg = Total(sumsA, 0, slots);
            shortBook = Total(sumsA, 1, slots);
            var barTurnover = Total(sumsA, 2, slots);
            var barSpread = Total(sumsA, 3, slots);
            var barClosed = Total(sumsA, 4, slots);

            // Phase B: drift by the first leg, trade on a rebalance bar (at the open: then sum the intraday leg).
            var drift = firstLeg != -1;
            var scale = drift ? 1 / (1 + firstLeg) : 1.0;
            turnover = 0;
            spread = 0;
            double impact = 0, secondLeg = 0, longs = 0, shorts = 0, longCount = 0, shortCount = 0;
            for (var j = tid; j < n; j += threads)
            {
                var held = book[bookStart + j];
                if (held == 0 && !trade)
                {
                    // Cash between rebalances (most names of a quantile book): nothing drifts, trades or counts.
                    continue;
                }

                var w = held;
                var r = returns[cell0 + j];
                var gap = atOpen ? Overnight(gaps, cell0 + j) : 0.0;
                if (w != 0 && drift)
                {
                    w = atOpen ? w * (1 + gap) / (1 + firstLeg) : w * (1 + (double)r) * scale;
                }

                // A target without a price at the fill stays in cash; a name without one keeps its position.
                if (trade && IsFinite(r) && (!atOpen || IsFinite(gaps[cell0 + j])))
                {
                    var goal = Target(order, denseTargets, o, t, n, signalRow, j, finite, selected, side);
                    var size = XMath.Abs(goal - w);
                    if (size != 0)
                    {
                        turnover += size;
                        spread += size * HalfSpread(spreadPanel, shape, o, cell0 + j);
                        if (o.ImpactBps > 0)
                        {
                            impact += size * XMath.Sqrt(Participation(volume, shape, o, (long)signalRow * n + j, size));
                        }
                    }

                    w = goal;
                }

                if (w != held)
                {
                    book[bookStart + j] = w;
                }

                if (atOpen)
                {
                    // Only held names: one in cash may have no price at all.
                    secondLeg += w != 0 ? w * ((1 + (double)r) / (1 + gap) - 1) : 0;
                }
                else
                {
                    longs += XMath.Max(w, 0.0);
                    shorts += XMath.Max(-w, 0.0);
                    longCount += w > 0 ? 1 : 0;
                    shortCount += w < 0 ? 1 : 0;
                }
            }

            Deposit(sumsB, 0, turnover, byWarp, slot);
            Deposit(sumsB, 1, spread, byWarp, slot);
            Deposit(sumsB, 2, impact, byWarp, slot);
            if (atOpen)
            {
                Deposit(sumsB, 3, secondLeg, byWarp, slot);
            }
            else
            {
                Deposit(sumsB, 4, longs, byWarp, slot);
                Deposit(sumsB, 5, shorts, byWarp, slot);
                Deposit(sumsB, 6, longCount, byWarp, slot);
                Deposit(sumsB, 7, shortCount, byWarp, slot);
            }

            Group.Barrier();
            barTurnover += Total(sumsB, 0, slots);
            barSpread += Total(sumsB, 1, slots);
            var impactSum = Total(sumsB, 2, slots);
            var gross = firstLeg;
            if (atOpen)
            {
                // Phase C: drift by the intraday leg, then the exposures held at the close.
                var intraday = Total(sumsB, 3, slots);
                gross = ((1 + firstLeg) * (1 + intraday)) - 1;
                longs = shorts = longCount = shortCount = 0;
                for (var j = tid; j < n; j += threads)
                {
                    var w = book[bookStart + j];
                    if (w != 0 && intraday != -1)
                    {
                        var gap = Overnight(gaps, cell0 + j);
                        w = w * (1 + ((1 + (double)returns[cell0 + j]) / (1 + gap) - 1)) / (1 + intraday);
                        book[bookStart + j] = w;
                    }

                    longs += XMath.Max(w, 0.0);
                    shorts += XMath.Max(-w, 0.0);
                    longCount += w > 0 ? 1 : 0;
                    shortCount += w < 0 ? 1 : 0;
                }

                Deposit(sumsC, 0, longs, byWarp, slot);
                Deposit(sumsC, 1, shorts, byWarp, slot);
                Deposit(sumsC, 2, longCount, byWarp, slot);
                Deposit(sumsC, 3, shortCount, byWarp, slot);
                Group.Barrier();
                longs = Total(sumsC, 0, slots);
                shorts = Total(sumsC, 1, slots);
                longCount = Total(sumsC, 2, slots);
                shortCount = Total(sumsC, 3, slots);
            }
            else
            {
                longs = Total(sumsB, 4, slots);
                shorts = Total(sumsB, 5, slots);
                longCount = Total(sumsB, 6, slots);
                shortCount = Total(sumsB, 7, slots);
            }

            if (tid == 0)
            {
                var commission = barTurnover * o.CommissionRate;
                var impactCost = impactSum * o.ImpactBps * 1e-4;
                var borrow = shortBook * o.BorrowRate;
                var at = ((long)v * t) + i;
                var block = (long)count * t;
                outputs[(SweepGross * block) + at] = gross;
                outputs[(SweepNet * block) + at] = gross - commission - barSpread - impactCost - borrow;
                outputs[(SweepTurnover * block) + at] = barTurnover;
                outputs[(SweepCommission * block) + at] = commission;
                outputs[(SweepSpread * block) + at] = barSpread;
                outputs[(SweepImpact * block) + at] = impactCost;
                outputs[(SweepBorrow * block) + at] = borrow;
                outputs[(SweepLongExposure * block) + at] = longs;
                outputs[(SweepShortExposure * block) + at] = shorts;
                outputs[(SweepLongs * block) + at] = longCount;
                outputs[(SweepShorts * block) + at] = shortCount;
                outputs[(SweepForcedCloses * block) + at] = barClosed;

                // The bar's costs summed as the managed sweep sums them, so a summary needs one field instead of four.
                outputs[(SweepCosts * block) + at] = commission + barSpread + impactCost + borrow;
            }
        }
    }

    /// <summary>
    /// Leaves this thread's share of a group total in <paramref name="sums"/>: the warp's sum (by shuffles) from its
    /// first lane, or the thread's own value in a group smaller than a warp. After a barrier every thread reads the
    /// total with <see cref="Total"/>, in the same order, so all threads agree bit for bit. Each bar alternates
    /// between regions, so a region is written again only after another barrier, which every thread passes only
    /// once it has read the totals.
    /// </summary>
    private static void Deposit(ArrayView<double> sums, int lane, double value, bool byWarp, int slot)
    {
        if (byWarp)
        {
            for (var delta = Warp.WarpSize / 2; delta > 0; delta >>= 1)
            {
                value += Warp.ShuffleDown(value, delta);
            }

            if (Warp.LaneIdx == 0)
            {
                sums[(lane * SweepSlots) + slot] = value;
            }
        }
        else
        {
            sums[(lane * SweepSlots) + slot] = value;
        }
    }

    private static double Total(ArrayView<double> sums, int lane, int slots)
    {
        double total = 0;
        for (var s = 0; s < slots; s++)
        {
            total += sums[(lane * SweepSlots) + s];
        }

        return total;
    }

    private static double Target(ArrayView<int> order, ArrayView<double> denseTargets, SweepVariant o, int t, int n, int signalRow, int j, int finite, int selected, double side)
    {
        var cell = ((long)signalRow * n) + j;
        if (o.Construction == SweepVariant.DenseTargets)
        {
            return denseTargets[((long)o.DenseTarget * t * n) + cell];
        }

        var position = order[cell];
        if (selected < 1 || position < 0)
        {
            return 0;
        }

        if (position >= finite - selected)
        {
            return side;
        }

        return o.Construction == SweepVariant.LongShortQuantile && position < selected ? -side : 0;
    }

    private static double HalfSpread(ArrayView<float> spreadPanel, SweepShape shape, SweepVariant o, long cell)
    {
        if (shape.HasSpread != 0)
        {
            var x = spreadPanel[cell];
            if (IsFinite(x))
            {
                return x * 1e-4;
            }
        }

        return o.SpreadRate;
    }

    /// <summary>Traded value over average dollar volume as of the signal; a missing volume counts as a whole day's.</summary>
    private static double Participation(ArrayView<float> volume, SweepShape shape, SweepVariant o, long signalCell, double size)
    {
        if (shape.HasVolume == 0)
        {
            return 1.0;
        }

        double adv = volume[signalCell];
        var ratio = adv > 0 ? o.Capital / adv : double.NaN;
        return !double.IsNaN(ratio) && !double.IsInfinity(ratio) ? size * ratio : 1.0;
    }

    /// <summary>The overnight leg of a name; one without an opening print moves only intraday.</summary>
    private static double Overnight(ArrayView<float> gaps, long cell)
    {
        var g = gaps[cell];
        return IsFinite(g) ? g : 0.0;
    }

    private static bool IsFinite(float x) => !float.IsNaN(x) && !float.IsInfinity(x);

    /// <summary>Monotone bits of the value (−0 as +0) above the name index; <see cref="NoKey"/> for a non-finite value.</summary>
    private static ulong OrderKey(float value, int index)
    {
        if (!IsFinite(value))
        {
            return NoKey;
        }

        var bits = ILGPU.Interop.FloatAsInt(value);
        if ((bits & 0x7FFF_FFFFu) == 0)
        {
            bits = 0;
        }

        var monotone = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ((ulong)monotone << 32) | (uint)index;
    }
}
