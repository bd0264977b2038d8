using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Progress;

namespace QuantPipeline.Cluster.Scheduling;

/// <summary>
/// Runs a job's units and hands each result to <paramref name="commit"/> strictly in the units' order, whatever order
/// they finish in; progress counts committed units. The same job gives the same commits on one machine
/// (<see cref="LocalDispatcher"/>) and on a cluster (<see cref="ClusterDispatcher"/>).
/// </summary>
public interface IUnitDispatcher
{
    SharedStore Store { get; }

    Task RunAsync(
        IReadOnlyList<UnitRequest> units,
        Action<int, string> commit,
        IProgress<ProgressUpdate>? progress,
        string task,
        CancellationToken cancellationToken = default);
}
