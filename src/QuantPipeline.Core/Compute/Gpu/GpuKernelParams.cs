namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>Scalar arguments of a GPU kernel, passed by value in one struct to keep kernel signatures short.</summary>
internal readonly struct GpuKernelParams
{
    public GpuKernelParams(int op, int t, int n, int window, int minPeriods, int ddof, double x0, double x1, int flag, int chunk = 0)
    {
        Op = op;
        T = t;
        N = n;
        Window = window;
        MinPeriods = minPeriods;
        Ddof = ddof;
        X0 = x0;
        X1 = x1;
        Flag = flag;
        Chunk = chunk;
    }

    public int Op { get; }

    public int T { get; }

    public int N { get; }

    /// <summary>Window, periods, limit or period, depending on the kernel.</summary>
    public int Window { get; }

    public int MinPeriods { get; }

    public int Ddof { get; }

    /// <summary>Quantile, alpha or lower winsorising quantile.</summary>
    public double X0 { get; }

    /// <summary>Upper winsorising quantile.</summary>
    public double X1 { get; }

    /// <summary>adjust (ewm) or has-mask (cross-sectional).</summary>
    public int Flag { get; }

    /// <summary>Rows of time one thread of a chunked kernel produces; 0 (or less) means all rows.</summary>
    public int Chunk { get; }

    /// <summary>Number of time chunks a chunked kernel splits the T rows into.</summary>
    public int Chunks => Chunk <= 0 || T == 0 ? 1 : (T + Chunk - 1) / Chunk;
}
