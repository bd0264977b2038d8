using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Exponentially weighted mean, pandas' recursion (ignore_na = False) in float64 lanes. Per symbol: the current mean,
/// the weight of the past (old_wt) and the observation count. A NaN ages old_wt; an observation x gives
/// mean = (old_wt·mean + w·x)/(old_wt + w) with w = 1 (adjust) or α (not adjusted, then old_wt resets to 1).
/// </summary>
internal readonly unsafe struct EwmKernel : IColumnKernel
{
    private readonly float* _src;
    private readonly float* _dst;
    private readonly int _t;
    private readonly int _n;
    private readonly double _alpha;
    private readonly bool _adjust;
    private readonly int _required;

    public EwmKernel(float* src, float* dst, int t, int n, EwmSpec spec)
    {
        _src = src;
        _dst = dst;
        _t = t;
        _n = n;
        _alpha = spec.Alpha;
        _adjust = spec.Adjust;
        _required = Math.Max(spec.MinPeriods, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run<TV, TL>(int first, int count)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        var state = new double[3 * count];
        Array.Fill(state, double.NaN, 0, count);
        Array.Fill(state, 1.0, count, count);
        var decay = TL.Broadcast(1 - _alpha);
        var newWeight = TL.Broadcast(_adjust ? 1.0 : _alpha);
        var one = TL.Broadcast(1);
        var nan = TL.Broadcast(double.NaN);
        var required = TL.Broadcast(_required);
        fixed (double* statePtr = state)
        {
            double* mean = statePtr, oldWeight = statePtr + count, observations = statePtr + 2 * count;
            for (var i = 0; i < _t; i++)
            {
                var row = _src + (long)i * _n + first;
                var outRow = _dst + (long)i * _n + first;
                for (var l = 0; l < count; l += TL.Count)
                {
                    var m = TL.Load(ref mean[l]);
                    var w = TL.Load(ref oldWeight[l]);
                    var k = TL.Load(ref observations[l]);
                    var x = TL.LoadWiden(ref row[l]);
                    Step<TV, TL>(ref m, ref w, ref k, x, decay, newWeight, one, _adjust);
                    TL.Store(m, ref mean[l]);
                    TL.Store(w, ref oldWeight[l]);
                    TL.Store(k, ref observations[l]);
                    TL.StoreNarrow(TL.Select(TL.GreaterThanOrEqual(k, required), m, nan), ref outRow[l]);
                }
            }
        }
    }

    /// <summary>One step of pandas' ewm mean for a vector of symbols (shared with the RSI and fused F8 kernels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Step<TV, TL>(ref TV mean, ref TV oldWeight, ref TV observations, TV x, TV decay, TV newWeight, TV one, bool adjust)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        var observed = TL.IsFinite(x);
        var started = TL.IsFinite(mean);
        var aged = TL.Multiply(oldWeight, decay);
        oldWeight = TL.Select(started, aged, oldWeight);
        var update = TL.And(started, observed);
        // Not adjusted and without a NaN gap, old_wt + α = (1 − α) + α = 1 up to rounding: skip the division when
        // every lane's denominator is within 1e-12 of 1 (the common case), which keeps the step division-free.
        var numerator = TL.Add(TL.Multiply(oldWeight, mean), TL.Multiply(newWeight, x));
        var denominator = TL.Add(oldWeight, newWeight);
        var offOne = TL.Subtract(denominator, one);
        var weighted = TL.MaskBits(TL.GreaterThan(TL.Multiply(offOne, offOne), TL.Broadcast(1e-24))) == 0 ? numerator : TL.Divide(numerator, denominator);
        // pandas skips the update when the mean already equals x, which keeps constant series exact.
        var blended = TL.Select(TL.NotEqual(mean, x), weighted, mean);
        mean = TL.Select(update, blended, mean);
        oldWeight = TL.Select(update, adjust ? TL.Add(oldWeight, newWeight) : one, oldWeight);
        mean = TL.Select(started, mean, TL.Select(observed, x, mean));
        observations = TL.Add(observations, TL.And(observed, one));
    }
}
