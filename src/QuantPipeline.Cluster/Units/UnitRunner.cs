using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using QuantPipeline.Cluster.Hosting;

namespace QuantPipeline.Cluster.Units;

/// <summary>
/// The silo's work queue: runs units on the thread pool (not on the grain scheduler, whose turns must stay short),
/// at most <see cref="SiloSettings.Slots"/> at once. A unit already finished by any silo (its <c>done.json</c> is on
/// the shared folder) is answered from there without running again.
/// </summary>
public sealed partial class UnitRunner
{
    private readonly ConcurrentDictionary<string, Entry> _units = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IUnitExecutor> _executors;
    private readonly SemaphoreSlim _slots;
    private readonly SiloSettings _settings;
    private readonly ILogger<UnitRunner> _log;
    private long _completed;
    private long _failed;

    public UnitRunner(SiloSettings settings, IEnumerable<IUnitExecutor> executors, ILogger<UnitRunner> log)
    {
        _settings = settings;
        _log = log;
        _executors = executors.ToDictionary(e => e.Kind, StringComparer.Ordinal);
        _slots = new SemaphoreSlim(settings.Slots, settings.Slots);
        Store = new SharedStore(settings.SharedPath);
    }

    public SharedStore Store { get; }

    public SiloSettings Settings => _settings;

    public UnitStatus Start(UnitRequest request, string silo)
    {
        if (!_executors.ContainsKey(request.Kind))
        {
            return new UnitStatus(request.Key, UnitState.Failed, null, $"silo {_settings.Name} has no executor for '{request.Kind}' units (it knows: {string.Join(", ", _executors.Keys.Order())}).", silo);
        }

        var entry = _units.AddOrUpdate(
            request.Key,
            _ => Launch(request),
            (_, existing) => existing.State == UnitState.Failed ? Launch(request) : existing);
        return entry.Status(silo);
    }

    public UnitStatus Poll(string key, string silo)
    {
        if (_units.TryGetValue(key, out var entry))
        {
            return entry.Status(silo);
        }

        var done = Store.ReadDone(key);
        return new UnitStatus(key, done is null ? UnitState.Unknown : UnitState.Done, done, null, silo);
    }

    public SiloWork Describe(string silo) => new(
        silo,
        _settings.Name,
        _settings.Gpu,
        _settings.Slots,
        Store.Root,
        _units.Values.Where(e => e.State == UnitState.Running).Select(e => e.Request.Key).Order(StringComparer.Ordinal).ToList(),
        _units.Values.Count(e => e.State == UnitState.Queued),
        Interlocked.Read(ref _completed),
        Interlocked.Read(ref _failed));

    private Entry Launch(UnitRequest request)
    {
        var entry = new Entry(request);
        entry.Task = Task.Run(() => RunAsync(entry));
        return entry;
    }

    private async Task RunAsync(Entry entry)
    {
        var request = entry.Request;
        await _slots.WaitAsync().ConfigureAwait(false);
        try
        {
            var done = Store.ReadDone(request.Key);
            if (done is null)
            {
                entry.State = UnitState.Running;
                var started = DateTime.UtcNow;
                Core.Diagnostics.PausePoints.Reach("unit." + request.Kind, CancellationToken.None);
                done = _executors[request.Kind].Execute(request, new UnitContext(Store, request.Key), CancellationToken.None);
                Store.WriteDone(request.Key, done);
                LogUnitDone(request.Kind, request.Key, (DateTime.UtcNow - started).TotalSeconds);
            }

            entry.Result = done;
            entry.State = UnitState.Done;
            Interlocked.Increment(ref _completed);
        }
        catch (Exception e)
        {
            entry.Error = $"{e.GetType().Name}: {e.Message}";
            entry.State = UnitState.Failed;
            Interlocked.Increment(ref _failed);
            LogUnitFailed(e, request.Kind, request.Key);
        }
        finally
        {
            _slots.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} unit {Key} done in {Seconds:F2} s")]
    private partial void LogUnitDone(string kind, string key, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} unit {Key} failed")]
    private partial void LogUnitFailed(Exception error, string kind, string key);

    private sealed class Entry(UnitRequest request)
    {
        public UnitRequest Request { get; } = request;

        public volatile UnitState State = UnitState.Queued;

        public volatile string? Result;

        public volatile string? Error;

        public Task? Task { get; set; }

        public UnitStatus Status(string silo) => new(Request.Key, State, Result, Error, silo);
    }
}
