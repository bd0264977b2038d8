namespace QuantPipeline.Core.Compute;

/// <summary>
/// Chooses a backend by name (config <c>compute.backend</c>, CLI <c>--backend</c>): <c>auto | managed | native | gpu</c>.
/// <c>auto</c> takes managed: by benchmarks/README.md it is the fastest CPU backend over the feature sets as a whole
/// (alpha158 on 3,000 × 2,520: managed 2.2 s, native 19.9 s; F8: the two within 15 %). The GPU is taken only on request,
/// because its advantage depends on the data already living on the device.
/// </summary>
public static class ComputeBackends
{
    public static readonly IReadOnlyList<string> Names = ["auto", "managed", "native", "gpu"];

    private static readonly AsyncLocal<Action<string>?> ScopedLog = new();

    /// <summary>
    /// Where the "backend chosen" line goes for the whole process unless a <see cref="LogTo"/> scope says otherwise.
    /// Default: standard error.
    /// </summary>
    public static Action<string> Log { get; set; } = message => Console.Error.WriteLine(message);

    /// <summary>
    /// Sends the "backend chosen" lines of this async flow (and the tasks it starts) to <paramref name="sink"/> until
    /// the returned scope is disposed. Other threads keep their own sink, so concurrent callers (test classes run in
    /// parallel, shard executors) never see each other's lines or swap the process-wide one under each other.
    /// </summary>
    public static IDisposable LogTo(Action<string> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var previous = ScopedLog.Value;
        ScopedLog.Value = sink;
        return new Scope(() => ScopedLog.Value = previous);
    }

    private static void Write(string message) => (ScopedLog.Value ?? Log)(message);

    private sealed class Scope(Action restore) : IDisposable
    {
        private Action? _restore = restore;

        public void Dispose() => Interlocked.Exchange(ref _restore, null)?.Invoke();
    }

    // One accelerator per process: ILGPU contexts are expensive and kernels are compiled once per accelerator.
    // Callers on several threads share it, so calls are serialised (one stream, reused scratch buffers).
    private static readonly Lazy<IComputeBackend> SharedGpu = new(() => new SynchronizedBackend(new Gpu.GpuBackend(forceCpu: false, log: Write)));

    public static IComputeBackend Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        IComputeBackend backend;
        string reason;
        switch (name.Trim().ToLowerInvariant())
        {
            case "managed":
                backend = ManagedBackend.Instance;
                reason = "requested";
                break;
            case "native":
                backend = NativeBackend.Instance;
                reason = "requested";
                break;
            case "gpu":
                backend = SharedGpu.Value;
                reason = "requested";
                break;
            case "auto":
                (backend, reason) = Auto();
                break;
            default:
                throw new ArgumentException($"Unknown compute backend '{name}'. Choose one of: {string.Join(", ", Names)}.", nameof(name));
        }

        Write($"compute backend: {backend.Name} ({reason})");
        return backend;
    }

    private static (IComputeBackend Backend, string Reason) Auto() =>
        (ManagedBackend.Instance, "auto: the fastest CPU backend in the benchmarks");
}
