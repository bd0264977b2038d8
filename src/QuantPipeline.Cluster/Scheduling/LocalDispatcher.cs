using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Progress;

namespace QuantPipeline.Cluster.Scheduling;

/// <summary>Runs units one after another in this process, with the same executors, keys and shared-folder outputs as a silo.</summary>
public sealed class LocalDispatcher(SharedStore store, IEnumerable<IUnitExecutor> executors) : IUnitDispatcher
{
    private readonly Dictionary<string, IUnitExecutor> _executors = executors.ToDictionary(e => e.Kind, StringComparer.Ordinal);

    public SharedStore Store { get; } = store;

    public Task RunAsync(IReadOnlyList<UnitRequest> units, Action<int, string> commit, IProgress<ProgressUpdate>? progress, string task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(commit);
        for (var i = 0; i < units.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var unit = units[i];
            var result = Store.ReadDone(unit.Key);
            if (result is null)
            {
                if (!_executors.TryGetValue(unit.Kind, out var executor))
                {
                    throw new InvalidOperationException($"No executor for '{unit.Kind}' units.");
                }

                result = executor.Execute(unit, new UnitContext(Store, unit.Key), cancellationToken);
                Store.WriteDone(unit.Key, result);
            }

            commit(i, result);
            progress?.Report(new ProgressUpdate(task, i + 1, units.Count));
        }

        return Task.CompletedTask;
    }
}
