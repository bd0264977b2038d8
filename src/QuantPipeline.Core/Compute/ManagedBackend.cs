using System.Numerics;

namespace QuantPipeline.Core.Compute;

/// <summary>Managed kernels: loops run along time and vectorise across symbols.</summary>
public sealed partial class ManagedBackend : IComputeBackend
{
    public static readonly ManagedBackend Instance = new();

    public string Name => "managed";

    public void RollingMean(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int window, int minPeriods)
    {
        KernelSemantics.Validate(src.Length, dst.Length, t, n, window, minPeriods);
        var sum = new double[n];
        var count = new int[n];
        for (var i = 0; i < t; i++)
        {
            var row = src.Slice(i * n, n);
            var outRow = dst.Slice(i * n, n);
            var leaving = i >= window ? src.Slice((i - window) * n, n) : ReadOnlySpan<float>.Empty;
            for (var j = 0; j < n; j++)
            {
                var x = row[j];
                if (!float.IsNaN(x))
                {
                    sum[j] += x;
                    count[j]++;
                }

                if (!leaving.IsEmpty)
                {
                    var y = leaving[j];
                    if (!float.IsNaN(y))
                    {
                        sum[j] -= y;
                        count[j]--;
                    }
                }

                outRow[j] = count[j] >= minPeriods && count[j] > 0 ? (float)(sum[j] / count[j]) : float.NaN;
            }
        }
    }
}
