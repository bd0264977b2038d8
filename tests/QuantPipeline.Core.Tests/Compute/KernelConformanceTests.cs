using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>
/// Every kernel on every backend against the float64 reference, on random walks with NaNs. The managed backend takes
/// the widest SIMD width the CPU has; run the suite with DOTNET_EnableAVX512F=0, DOTNET_EnableAVX=0 or
/// DOTNET_EnableHWIntrinsic=0 to cover its 256-bit, 128-bit and scalar paths.
/// </summary>
public class KernelConformanceTests
{
    // 67 symbols: one vectorised column block of 64 and a 3-symbol block on the scalar path.
    private const int T = 160;
    private const int N = 67;

    private static readonly float[] Prices = Numbers.RandomWalk(T, N, seed: 7);
    private static readonly float[] Other = Numbers.RandomWalk(T, N, seed: 8, level: 50);

    private delegate void Kernel(IComputeBackend backend, float[] dst);

    private static readonly Dictionary<string, (Kernel Run, Func<double[]> Reference)> Kernels = Build();

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var backend in Backends.Names)
        {
            foreach (var kernel in Kernels.Keys)
            {
                data.Add(backend, kernel);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kernel_matches_float64_reference(string backend, string kernel)
    {
        var (run, reference) = Kernels[kernel];
        var dst = new float[T * N];
        dst.AsSpan().Fill(-12345f);
        run(Backends.Get(backend), dst);
        Numbers.AssertClose(reference(), dst, $"{backend} {kernel}");
    }

    private static Dictionary<string, (Kernel, Func<double[]>)> Build()
    {
        var kernels = new Dictionary<string, (Kernel, Func<double[]>)>();
        var positive = Prices.Select(v => float.IsNaN(v) ? v : Math.Abs(v) + 0.5f).ToArray();
        var signed = Prices.Select(v => v - 100f).ToArray();
        var boolish = Prices.Select((v, k) => float.IsNaN(v) ? v : k % 3 == 0 ? 0f : 1f).ToArray();

        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            var input = op is UnaryOp.Log or UnaryOp.Sqrt ? positive : op == UnaryOp.Exp ? signed.Select(v => v / 10).ToArray() : op == UnaryOp.Not ? boolish : signed;
            kernels[$"unary {op}"] = ((b, d) => b.Unary(op, input, d), () => ReferenceKernels.Unary(op, input));
        }

        foreach (var op in Enum.GetValues<BinaryOp>())
        {
            float[] a = op == BinaryOp.Pow ? positive : op is BinaryOp.And or BinaryOp.Or ? boolish : signed;
            float[] b = op == BinaryOp.Pow ? signed.Select(v => v / 20).ToArray() : op is BinaryOp.And or BinaryOp.Or ? boolish.Reverse().ToArray() : Other.Select(v => v - 50f).ToArray();
            if (op is BinaryOp.Eq or BinaryOp.Ne or BinaryOp.Ge or BinaryOp.Le)
            {
                b = b.Select((v, k) => k % 4 == 0 ? a[k] : v).ToArray();
            }

            kernels[$"binary {op}"] = ((bk, d) => bk.Binary(op, a, b, d), () => ReferenceKernels.Binary(op, a, b));
        }

        kernels["where"] = ((b, d) => b.Where(boolish, Prices, Other, d), () => ReferenceKernels.Where(boolish, Prices, Other));
        foreach (var p in new[] { 1, 3, -2 })
        {
            kernels[$"shift {p}"] = ((b, d) => b.Shift(Prices, d, T, N, p), () => ReferenceKernels.Shift(Prices, T, N, p));
            kernels[$"diff {p}"] = ((b, d) => b.Diff(Prices, d, T, N, p), () => ReferenceKernels.Diff(Prices, T, N, p));
            kernels[$"simple return {p}"] = ((b, d) => b.Returns(Prices, d, T, N, p, ReturnKind.Simple), () => ReferenceKernels.Returns(Prices, T, N, p, ReturnKind.Simple));
            kernels[$"log return {p}"] = ((b, d) => b.Returns(Prices, d, T, N, p, ReturnKind.Log), () => ReferenceKernels.Returns(Prices, T, N, p, ReturnKind.Log));
        }

        var specs = new[]
        {
            new RollingSpec(20),
            new RollingSpec(7, MinPeriods: 1, Ddof: 0, Quantile: 0.25),
            new RollingSpec(30, MinPeriods: 12, Quantile: 0.9),
        };
        foreach (var op in Enum.GetValues<RollingOp>())
        {
            foreach (var spec in specs)
            {
                kernels[$"rolling {op} {spec}"] = ((b, d) => b.Rolling(op, Prices, d, T, N, spec), () => ReferenceKernels.Rolling(op, Prices, T, N, spec));
            }
        }

        // Order statistics on a coarse grid: many ties, which ranks average and arg-max/min break to the first slot.
        var coarse = Numbers.RandomWalk(T, N, seed: 10, step: 3).Select(v => MathF.Round(v / 2)).ToArray();
        foreach (var op in new[] { RollingOp.ArgMin, RollingOp.ArgMax, RollingOp.Rank, RollingOp.Quantile, RollingOp.Min, RollingOp.Max })
        {
            foreach (var spec in specs)
            {
                kernels[$"rolling {op} ties {spec}"] = ((b, d) => b.Rolling(op, coarse, d, T, N, spec), () => ReferenceKernels.Rolling(op, coarse, T, N, spec));
            }
        }

        foreach (var op in Enum.GetValues<RollingPairOp>())
        {
            foreach (var spec in specs)
            {
                kernels[$"rolling pair {op} {spec}"] = ((b, d) => b.RollingPair(op, Prices, Other, d, T, N, spec), () => ReferenceKernels.RollingPair(op, Prices, Other, T, N, spec));
            }
        }

        var ewms = new[]
        {
            EwmSpec.FromHalfLife(20),
            EwmSpec.FromSpan(10, adjust: false),
            EwmSpec.FromCom(3, adjust: true, minPeriods: 5),
            EwmSpec.Wilder(14),
        };
        foreach (var spec in ewms)
        {
            kernels[$"ewm {spec}"] = ((b, d) => b.Ewm(Prices, d, T, N, spec), () => ReferenceKernels.Ewm(Prices, T, N, spec));
        }

        foreach (var period in new[] { 14, 5 })
        {
            kernels[$"rsi {period}"] = ((b, d) => b.Rsi(Prices, d, T, N, period), () => ReferenceKernels.Rsi(Prices, T, N, period));
        }

        // Rounded prices make ties; a third of the cells are outside the universe.
        var tied = Prices.Select(v => MathF.Round(v)).ToArray();
        var mask = Enumerable.Range(0, T * N).Select(k => k % 3 != 1).ToArray();
        foreach (var op in Enum.GetValues<CrossSectionalOp>())
        {
            var spec = new CrossSectionalSpec(0.05, 0.9);
            kernels[$"cross-sectional {op}"] = ((b, d) => b.CrossSectional(op, tied, mask, d, T, N, spec), () => ReferenceKernels.CrossSectional(op, tied, mask, T, N, spec));
            kernels[$"cross-sectional {op} no mask"] = ((b, d) => b.CrossSectional(op, Prices, default, d, T, N, spec), () => ReferenceKernels.CrossSectional(op, Prices, null, T, N, spec));
        }

        var sparse = Numbers.RandomWalk(T, N, seed: 9, nanShare: 0.6);
        foreach (var limit in new[] { 0, 2 })
        {
            kernels[$"fill forward {limit}"] = ((b, d) => b.FillForward(sparse, d, T, N, limit), () => ReferenceKernels.FillForward(sparse, T, N, limit));
        }

        return kernels;
    }
}
