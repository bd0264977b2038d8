using QuantPipeline.Core.Compute;

namespace QuantPipeline.GpuCheck;

/// <summary>One checked kernel call: its name and how far the backend landed from the float64 reference.</summary>
public sealed record ConformanceResult(string Name, bool Passed, string Detail);

/// <summary>
/// Every kernel of <see cref="IComputeBackend"/> on random inputs with NaN gaps, plus the known numerical traps
/// (a 1e17 value leaving the window, magnitudes of 1e-8, prices of 1e5 in float32, all-NaN windows, a window
/// longer than the series), each compared with <see cref="ScalarReference"/> to 1e-5 relative / 1e-6 absolute.
/// </summary>
public static class ConformanceSuite
{
    public const double Relative = 1e-5;
    public const double Absolute = 1e-6;

    /// <summary>Case names, in a stable order (tests enumerate them one by one).</summary>
    public static IReadOnlyList<string> Names => Cases(1, 1).Select(c => c.Name).ToList();

    public static IEnumerable<ConformanceResult> Run(IComputeBackend backend, int t, int n) =>
        Cases(t, n).Select(c => c.Check(backend));

    public static ConformanceResult Run(IComputeBackend backend, string name, int t, int n) =>
        Cases(t, n).Single(c => c.Name == name).Check(backend);

    private sealed record Case(string Name, Func<IComputeBackend, ConformanceResult> Check);

    private static IEnumerable<Case> Cases(int t, int n)
    {
        var len = t * n;
        var signed = Data(len, 1, lo: -3, hi: 3, nanRate: 0.05);
        var positive = Data(len, 2, lo: 0.5, hi: 4, nanRate: 0.05);
        var other = Data(len, 3, lo: -2, hi: 2, nanRate: 0.05);
        var walk = RandomWalk(t, n, 4, start: 100, step: 0.5, nanRate: 0.08);
        var ties = Data(len, 5, lo: 0, hi: 6, nanRate: 0.1).Select(v => MathF.Round(v)).ToArray();

        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            var x = op is UnaryOp.Log or UnaryOp.Sqrt ? positive : op == UnaryOp.Not ? ties : signed;
            yield return Elementwise($"unary {op}", b => { var d = new float[len]; b.Unary(op, x, d); return d; }, () => ScalarReference.Unary(op, x));
        }

        foreach (var op in Enum.GetValues<BinaryOp>())
        {
            var a = op == BinaryOp.Pow ? positive : op is BinaryOp.Eq or BinaryOp.Ne or BinaryOp.Ge or BinaryOp.Le or BinaryOp.And or BinaryOp.Or ? ties : signed;
            var b2 = op == BinaryOp.Pow ? other : op is BinaryOp.Eq or BinaryOp.Ne or BinaryOp.Ge or BinaryOp.Le or BinaryOp.And or BinaryOp.Or ? ties.Reverse().ToArray() : other;
            yield return Elementwise($"binary {op}", b => { var d = new float[len]; b.Binary(op, a, b2, d); return d; }, () => ScalarReference.Binary(op, a, b2));
        }

        yield return Elementwise("where", b => { var d = new float[len]; b.Where(signed, positive, other, d); return d; }, () => ScalarReference.Where(signed, positive, other));
        yield return Elementwise("shift lag 2", b => { var d = new float[len]; b.Shift(walk, d, t, n, 2); return d; }, () => ScalarReference.Shifted(0, walk, t, n, 2));
        yield return Elementwise("shift lead 3", b => { var d = new float[len]; b.Shift(walk, d, t, n, -3); return d; }, () => ScalarReference.Shifted(0, walk, t, n, -3));
        yield return Elementwise("diff 1", b => { var d = new float[len]; b.Diff(walk, d, t, n, 1); return d; }, () => ScalarReference.Shifted(1, walk, t, n, 1));
        yield return Elementwise("returns simple 1", b => { var d = new float[len]; b.Returns(walk, d, t, n, 1, ReturnKind.Simple); return d; }, () => ScalarReference.Shifted(2, walk, t, n, 1));
        yield return Elementwise("returns log 5", b => { var d = new float[len]; b.Returns(walk, d, t, n, 5, ReturnKind.Log); return d; }, () => ScalarReference.Shifted(3, walk, t, n, 5));
        yield return Elementwise("returns simple -2", b => { var d = new float[len]; b.Returns(walk, d, t, n, -2, ReturnKind.Simple); return d; }, () => ScalarReference.Shifted(2, walk, t, n, -2));

        foreach (var op in Enum.GetValues<RollingOp>())
        {
            var x = op is RollingOp.Rank or RollingOp.ArgMin or RollingOp.ArgMax ? ties : op is RollingOp.Skew or RollingOp.Kurt ? signed : walk;
            yield return RollingCase($"rolling {op} w7 min4", op, x, t, n, new RollingSpec(7, 4, Quantile: 0.3));
            yield return RollingCase($"rolling {op} w5", op, x, t, n, new RollingSpec(5, Quantile: 0.75));
        }

        yield return RollingCase("rolling Var ddof0 w6", RollingOp.Var, walk, t, n, new RollingSpec(6, 2, Ddof: 0));
        yield return RollingCase("rolling Std w1 min0", RollingOp.Std, walk, t, n, new RollingSpec(1, 0));
        yield return RollingCase("rolling Sum min0", RollingOp.Sum, walk, t, n, new RollingSpec(4, 0));

        foreach (var op in Enum.GetValues<RollingPairOp>())
        {
            yield return Elementwise($"rolling {op} w8 min3", b => { var d = new float[len]; b.RollingPair(op, walk, signed, d, t, n, new RollingSpec(8, 3)); return d; },
                () => ScalarReference.RollingPair(op, walk, signed, t, n, new RollingSpec(8, 3)));
        }

        foreach (var spec in new[] { EwmSpec.FromSpan(5), EwmSpec.FromSpan(5, adjust: false), EwmSpec.FromHalfLife(3, minPeriods: 4), EwmSpec.FromCom(2, adjust: false, minPeriods: 2) })
        {
            yield return Elementwise($"ewm alpha {spec.Alpha:0.###} adjust {spec.Adjust} min {spec.MinPeriods}",
                b => { var d = new float[len]; b.Ewm(signed, d, t, n, spec); return d; }, () => ScalarReference.Ewm(signed, t, n, spec));
        }

        yield return Elementwise("rsi 5", b => { var d = new float[len]; b.Rsi(walk, d, t, n, 5); return d; }, () => ScalarReference.Rsi(walk, t, n, 5));

        var mask = new Random(6).Let(r => Enumerable.Range(0, len).Select(_ => r.NextDouble() > 0.2).ToArray());
        var spec2 = new CrossSectionalSpec(0.1, 0.8);
        foreach (var op in Enum.GetValues<CrossSectionalOp>())
        {
            yield return Elementwise($"cross-sectional {op} masked", b => { var d = new float[len]; b.CrossSectional(op, ties, mask, d, t, n, spec2); return d; },
                () => ScalarReference.CrossSectional(op, ties, mask, t, n, spec2));
            yield return Elementwise($"cross-sectional {op} all", b => { var d = new float[len]; b.CrossSectional(op, signed, [], d, t, n, new CrossSectionalSpec(0.05, 0.95, 1)); return d; },
                () => ScalarReference.CrossSectional(op, signed, [], t, n, new CrossSectionalSpec(0.05, 0.95, 1)));
        }

        var gappy = Data(len, 7, lo: -1, hi: 1, nanRate: 0.5);
        yield return Elementwise("fill-forward", b => { var d = new float[len]; b.FillForward(gappy, d, t, n); return d; }, () => ScalarReference.FillForward(gappy, t, n, 0));
        yield return Elementwise("fill-forward limit 2", b => { var d = new float[len]; b.FillForward(gappy, d, t, n, 2); return d; }, () => ScalarReference.FillForward(gappy, t, n, 2));

        foreach (var c in PathologicalCases())
        {
            yield return c;
        }
    }

    private static IEnumerable<Case> PathologicalCases()
    {
        // A 1e17 spike among values near 1: once it leaves the window, sums and variances must recover exactly.
        const int t = 40, n = 3;
        var spike = Data(t * n, 11, lo: 0.5, hi: 1.5, nanRate: 0.0);
        spike[5 * n + 1] = 1e17f;
        foreach (var op in new[] { RollingOp.Sum, RollingOp.Mean, RollingOp.Var, RollingOp.Std, RollingOp.Skew, RollingOp.Kurt })
        {
            yield return RollingCase($"trap 1e17 leaves window {op}", op, spike, t, n, new RollingSpec(6), from: 11);
        }

        var tiny = Data(t * n, 12, lo: -1e-8, hi: 1e-8, nanRate: 0.1);
        foreach (var op in new[] { RollingOp.Mean, RollingOp.Std, RollingOp.Skew, RollingOp.Kurt, RollingOp.Slope, RollingOp.Wma })
        {
            // The absolute floor scales with the data, or any answer near zero would pass.
            yield return RollingCase($"trap magnitude 1e-8 {op}", op, tiny, t, n, new RollingSpec(8, 5), absolute: op is RollingOp.Skew or RollingOp.Kurt ? Absolute : 1e-15);
        }

        var prices = RandomWalk(t, n, 13, start: 100_000, step: 0.25, nanRate: 0.05);
        foreach (var op in new[] { RollingOp.Mean, RollingOp.Var, RollingOp.Std, RollingOp.Rsquare, RollingOp.Resi })
        {
            yield return RollingCase($"trap prices 1e5 {op}", op, prices, t, n, new RollingSpec(10, 5));
        }

        var allNan = Enumerable.Repeat(float.NaN, t * n).ToArray();
        for (var k = 30 * n; k < t * n; k++)
        {
            allNan[k] = k % 7;
        }

        foreach (var op in new[] { RollingOp.Mean, RollingOp.Std, RollingOp.Max, RollingOp.Quantile, RollingOp.Count })
        {
            yield return RollingCase($"trap all-NaN windows {op}", op, allNan, t, n, new RollingSpec(5, 1));
        }

        foreach (var op in new[] { RollingOp.Mean, RollingOp.Std, RollingOp.Min, RollingOp.Slope })
        {
            yield return RollingCase($"trap window longer than series {op}", op, prices, t, n, new RollingSpec(t + 5, 3));
        }
    }

    private static Case RollingCase(string name, RollingOp op, float[] x, int t, int n, RollingSpec spec, int from = 0, double absolute = Absolute) =>
        Elementwise(name, b => { var d = new float[x.Length]; b.Rolling(op, x, d, t, n, spec); return d; }, () => ScalarReference.Rolling(op, x, t, n, spec), from * n, absolute);

    private static Case Elementwise(string name, Func<IComputeBackend, float[]> run, Func<double[]> expected, int fromCell = 0, double absolute = Absolute) =>
        new(name, backend =>
        {
            float[] actual;
            try
            {
                actual = run(backend);
            }
            catch (Exception e)
            {
                return new ConformanceResult(name, false, $"threw {e.GetType().Name}: {e.Message}");
            }

            return Compare(name, expected(), actual, fromCell, absolute);
        });

    /// <summary>NaN must match NaN; finite values must agree to <see cref="Relative"/> or <see cref="Absolute"/>.</summary>
    public static ConformanceResult Compare(string name, double[] expected, float[] actual, int fromCell = 0, double absolute = Absolute)
    {
        var worst = 0.0;
        for (var k = fromCell; k < expected.Length; k++)
        {
            var e = expected[k];
            double a = actual[k];
            if (double.IsNaN(e) || double.IsNaN(a))
            {
                if (double.IsNaN(e) != double.IsNaN(a))
                {
                    return new ConformanceResult(name, false, $"cell {k}: expected {e}, got {a}");
                }

                continue;
            }

            if (double.IsInfinity(e) || double.IsInfinity(a))
            {
                if (e != a)
                {
                    return new ConformanceResult(name, false, $"cell {k}: expected {e}, got {a}");
                }

                continue;
            }

            var error = Math.Abs(e - a);
            var tolerance = Math.Max(absolute, Relative * Math.Abs(e));
            if (error > tolerance)
            {
                return new ConformanceResult(name, false, $"cell {k}: expected {e:R}, got {a:R} (error {error:G3})");
            }

            worst = Math.Max(worst, error / Math.Max(absolute, Math.Abs(e)));
        }

        return new ConformanceResult(name, true, $"max scaled error {worst:G3}");
    }

    private static float[] Data(int length, int seed, double lo, double hi, double nanRate)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => rng.NextDouble() < nanRate ? float.NaN : (float)(lo + (hi - lo) * rng.NextDouble())).ToArray();
    }

    private static float[] RandomWalk(int t, int n, int seed, double start, double step, double nanRate)
    {
        var rng = new Random(seed);
        var dst = new float[t * n];
        for (var j = 0; j < n; j++)
        {
            var price = start * (1 + 0.1 * j / Math.Max(1, n));
            for (var i = 0; i < t; i++)
            {
                price += step * (rng.NextDouble() - 0.5);
                dst[i * n + j] = rng.NextDouble() < nanRate ? float.NaN : (float)price;
            }
        }

        return dst;
    }

    private static T Let<TIn, T>(this TIn value, Func<TIn, T> body) => body(value);
}
