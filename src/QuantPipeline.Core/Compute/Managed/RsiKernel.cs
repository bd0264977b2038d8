using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// RSI with Wilder smoothing: per symbol the previous value and two not-adjusted EWM states (gain, loss) with
/// α = 1/period, min_periods = period, fed by Δ = x[t] − x[t−1]; RSI = 100·G/(G+L) (50 when flat).
/// </summary>
internal readonly unsafe struct RsiKernel : IColumnKernel
{
    private readonly float* _src;
    private readonly float* _dst;
    private readonly int _t;
    private readonly int _n;
    private readonly int _period;

    public RsiKernel(float* src, float* dst, int t, int n, int period)
    {
        _src = src;
        _dst = dst;
        _t = t;
        _n = n;
        _period = period;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run<TV, TL>(int first, int count)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        var state = new double[6 * count];
        Array.Fill(state, double.NaN, 0, 3 * count);
        Array.Fill(state, 1.0, 3 * count, 2 * count);
        var alpha = 1.0 / _period;
        var decay = TL.Broadcast(1 - alpha);
        var newWeight = TL.Broadcast(alpha);
        var zero = TL.Broadcast(0);
        var one = TL.Broadcast(1);
        var fifty = TL.Broadcast(50);
        var hundred = TL.Broadcast(100);
        var nan = TL.Broadcast(double.NaN);
        var required = TL.Broadcast(_period);
        fixed (double* statePtr = state)
        {
            double* previous = statePtr, gain = statePtr + count, loss = statePtr + 2 * count;
            double* gainWeight = statePtr + 3 * count, lossWeight = statePtr + 4 * count, observations = statePtr + 5 * count;
            for (var i = 0; i < _t; i++)
            {
                var row = _src + (long)i * _n + first;
                var outRow = _dst + (long)i * _n + first;
                for (var l = 0; l < count; l += TL.Count)
                {
                    var x = TL.LoadWiden(ref row[l]);
                    var delta = TL.Subtract(x, TL.Load(ref previous[l]));
                    TL.Store(x, ref previous[l]);
                    var observed = TL.IsFinite(delta);
                    var up = TL.Select(observed, TL.Max(delta, zero), nan);
                    var down = TL.Select(observed, TL.Max(TL.Subtract(zero, delta), zero), nan);

                    var g = TL.Load(ref gain[l]);
                    var gw = TL.Load(ref gainWeight[l]);
                    var d = TL.Load(ref loss[l]);
                    var dw = TL.Load(ref lossWeight[l]);
                    var k = TL.Load(ref observations[l]);
                    var kCopy = k;
                    EwmKernel.Step<TV, TL>(ref g, ref gw, ref k, up, decay, newWeight, one, adjust: false);
                    EwmKernel.Step<TV, TL>(ref d, ref dw, ref kCopy, down, decay, newWeight, one, adjust: false);
                    TL.Store(g, ref gain[l]);
                    TL.Store(gw, ref gainWeight[l]);
                    TL.Store(d, ref loss[l]);
                    TL.Store(dw, ref lossWeight[l]);
                    TL.Store(k, ref observations[l]);

                    var total = TL.Add(g, d);
                    var rsi = TL.Select(TL.GreaterThan(total, zero), TL.Divide(TL.Multiply(hundred, g), total), fifty);
                    TL.StoreNarrow(TL.Select(TL.GreaterThanOrEqual(k, required), rsi, nan), ref outRow[l]);
                }
            }
        }
    }
}
