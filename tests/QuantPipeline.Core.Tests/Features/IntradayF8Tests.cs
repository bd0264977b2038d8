using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Panels;
using QuantPipeline.Core.Tests.Compute;

namespace QuantPipeline.Core.Tests.Features;

public class IntradayF8Tests
{
    private const int T = 150;
    private const int N = 37;

    public static TheoryData<string> BackendNames() => new(Backends.Names);

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void F8_matches_a_float64_composition_of_the_reference_kernels(string backend)
    {
        var rng = new Random(21);
        var close = new float[T * N];
        var volume = new float[T * N];
        for (var j = 0; j < N; j++)
        {
            double x = 100;
            for (var i = 0; i < T; i++)
            {
                x *= 1 + 0.002 * (rng.NextDouble() - 0.5);
                close[i * N + j] = rng.NextDouble() < 0.03 ? float.NaN : (float)x;
                volume[i * N + j] = (float)(1000 + 500 * rng.NextDouble());
            }
        }

        var panel = new Panel(Enumerable.Range(0, T).Select(i => new DateTime(2024, 1, 2, 14, 30, 0, DateTimeKind.Utc).AddMinutes(i)).ToList(),
            Enumerable.Range(0, N).Select(j => $"S{j:D3}").ToList());
        panel.SetField("close", close).SetField("volume", volume);
        for (var k = 0; k < panel.Membership.Length; k += 5)
        {
            panel.Membership[k] = false;
        }

        IntradayF8.Compute(panel, Backends.Get(backend));

        var expected = F8Reference.Compute(close, volume, panel.Membership, T, N);

        foreach (var name in IntradayF8.Names)
        {
            // A z-score of prices subtracts a rolling mean stored as float32 (≈100, so ±4e-6) and divides by a std of
            // ≈0.1: that intermediate alone limits it to ~5e-5 absolute. Every other feature holds 1e-5 / 1e-6.
            var absolute = name == "z_close_30" ? 1e-4 : 1e-6;
            Numbers.AssertClose(expected[name], panel.Field(name), $"{backend} {name}", absolute: absolute);
        }
    }
}
