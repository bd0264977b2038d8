using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Cross-sectional kernels, one timestamp (row) at a time, rows split across threads. Rank alone may run in place
/// (dst = src), which the fused F8 kernel uses for its 30-bar return.
/// </summary>
internal static unsafe class CrossSectionalKernel
{
    internal static void Run(CrossSectionalOp op, float* src, bool* mask, float* dst, int t, int n, CrossSectionalSpec spec)
    {
        if (t == 0)
        {
            return;
        }

        // Eight row blocks per core for balance; one sorter per worker, reused across its blocks and rows.
        var rowsPerBlock = Math.Max(16, t / (8 * Environment.ProcessorCount));
        var blocks = (t + rowsPerBlock - 1) / rowsPerBlock;
        var sorts = op is CrossSectionalOp.Rank or CrossSectionalOp.Winsorize;
        Parallel.For(0, blocks, () => sorts ? new RowSorter(n) : null, (b, _, sorter) =>
        {
            var firstRow = b * rowsPerBlock;
            for (var i = firstRow; i < Math.Min(t, firstRow + rowsPerBlock); i++)
            {
                var row = src + (long)i * n;
                var rowMask = mask == null ? null : mask + (long)i * n;
                var outRow = new Span<float>(dst + (long)i * n, n);
                switch (op)
                {
                    case CrossSectionalOp.Rank:
                        Rank(sorter!, row, rowMask, outRow, n);
                        break;
                    case CrossSectionalOp.Winsorize:
                        Winsorize(sorter!, row, rowMask, outRow, n, spec);
                        break;
                    default:
                        Moments(op, row, rowMask, outRow, n, spec);
                        break;
                }
            }

            return sorter;
        }, _ => { });
    }

    private static void Rank(RowSorter sorter, float* row, bool* mask, Span<float> outRow, int n)
    {
        fixed (float* output = outRow)
        {
            sorter.Rank(row, mask, n, output);
        }
    }

    private static void Winsorize(RowSorter sorter, float* row, bool* mask, Span<float> outRow, int n, CrossSectionalSpec spec)
    {
        outRow.Fill(float.NaN);
        sorter.Sort(row, mask, n);
        if (sorter.Count == 0)
        {
            return;
        }

        var lower = sorter.Quantile(spec.Lower);
        var upper = sorter.Quantile(spec.Upper);
        foreach (var item in sorter.Sorted)
        {
            var j = (int)(uint)item;
            outRow[j] = (float)Math.Clamp(row[j], lower, upper);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Moments(CrossSectionalOp op, float* row, bool* mask, Span<float> outRow, int n, CrossSectionalSpec spec)
    {
        double sum = 0;
        var count = 0;
        for (var j = 0; j < n; j++)
        {
            var v = row[j];
            if (float.IsFinite(v) && (mask == null || mask[j]))
            {
                sum += v;
                count++;
            }
        }

        var mean = sum / count;
        double scale = 1;
        if (op == CrossSectionalOp.ZScore)
        {
            double squares = 0;
            for (var j = 0; j < n; j++)
            {
                var v = row[j];
                if (float.IsFinite(v) && (mask == null || mask[j]))
                {
                    squares += (v - mean) * (v - mean);
                }
            }

            var std = count > spec.Ddof ? Math.Sqrt(squares / (count - spec.Ddof)) : double.NaN;
            scale = std > 0 ? 1 / std : double.NaN;
        }

        for (var j = 0; j < n; j++)
        {
            var v = row[j];
            outRow[j] = float.IsFinite(v) && (mask == null || mask[j]) ? (float)((v - mean) * scale) : float.NaN;
        }
    }
}
