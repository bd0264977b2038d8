namespace QuantPipeline.Core.Compute;

/// <summary>
/// Serialises calls into a backend that is not safe for concurrent use. The GPU backend runs one accelerator
/// stream with scratch buffers it reuses between calls, so the process-wide instance handed out by
/// <see cref="ComputeBackends"/> takes callers one at a time.
/// </summary>
public sealed class SynchronizedBackend(IComputeBackend inner) : IComputeBackend
{
    private readonly Lock _gate = new();

    public IComputeBackend Inner { get; } = inner;

    public string Name => Inner.Name;

    /// <summary>Runs work that uses the inner backend directly (device buffers, several launches) as one serialised call.</summary>
    public T Exclusive<T>(Func<IComputeBackend, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            return work(Inner);
        }
    }

    public void Unary(UnaryOp op, ReadOnlySpan<float> x, Span<float> dst)
    {
        lock (_gate)
        {
            Inner.Unary(op, x, dst);
        }
    }

    public void Binary(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        lock (_gate)
        {
            Inner.Binary(op, a, b, dst);
        }
    }

    public void Where(ReadOnlySpan<float> cond, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        lock (_gate)
        {
            Inner.Where(cond, a, b, dst);
        }
    }

    public void Shift(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods)
    {
        lock (_gate)
        {
            Inner.Shift(src, dst, t, n, periods);
        }
    }

    public void Diff(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods)
    {
        lock (_gate)
        {
            Inner.Diff(src, dst, t, n, periods);
        }
    }

    public void Returns(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods, ReturnKind kind)
    {
        lock (_gate)
        {
            Inner.Returns(src, dst, t, n, periods, kind);
        }
    }

    public void Rolling(RollingOp op, ReadOnlySpan<float> src, Span<float> dst, int t, int n, RollingSpec spec)
    {
        lock (_gate)
        {
            Inner.Rolling(op, src, dst, t, n, spec);
        }
    }

    public void RollingPair(RollingPairOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, int t, int n, RollingSpec spec)
    {
        lock (_gate)
        {
            Inner.RollingPair(op, a, b, dst, t, n, spec);
        }
    }

    public void Ewm(ReadOnlySpan<float> src, Span<float> dst, int t, int n, EwmSpec spec)
    {
        lock (_gate)
        {
            Inner.Ewm(src, dst, t, n, spec);
        }
    }

    public void Rsi(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int period)
    {
        lock (_gate)
        {
            Inner.Rsi(src, dst, t, n, period);
        }
    }

    public void CrossSectional(CrossSectionalOp op, ReadOnlySpan<float> src, ReadOnlySpan<bool> mask, Span<float> dst, int t, int n, CrossSectionalSpec spec)
    {
        lock (_gate)
        {
            Inner.CrossSectional(op, src, mask, dst, t, n, spec);
        }
    }

    public void FillForward(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int limit = 0)
    {
        lock (_gate)
        {
            Inner.FillForward(src, dst, t, n, limit);
        }
    }
}
