using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Progress;

namespace QuantPipeline.Cluster.Scheduling;

/// <summary>
/// The coordinator's side of a cluster job. It places units on the active silos of the membership (fewest units in
/// flight first; units that prefer a GPU go to silos that declared one whenever the cluster has any), polls them, puts
/// the units of a silo that stops answering back in the queue for the others, and commits results in unit order.
/// Units are idempotent (same key, same outputs, written by atomic rename), so a unit that runs twice is harmless.
/// </summary>
public sealed class ClusterDispatcher(IClusterClient client, SharedStore store, ClusterDispatchOptions? options = null) : IUnitDispatcher
{
    private readonly ClusterDispatchOptions _options = options ?? new ClusterDispatchOptions();

    public SharedStore Store { get; } = store;

    private readonly List<(string Key, string Silo)> _placements = [];

    /// <summary>Each placement made so far, in order (unit key, silo address); safe to read while the job runs.</summary>
    public IReadOnlyList<(string Key, string Silo)> Placements
    {
        get
        {
            lock (_placements)
            {
                return _placements.ToList();
            }
        }
    }

    /// <summary>Units taken back from a silo that was lost, and re-run elsewhere.</summary>
    public int Redispatched { get; private set; }

    public async Task RunAsync(IReadOnlyList<UnitRequest> units, Action<int, string> commit, IProgress<ProgressUpdate>? progress, string task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(commit);
        var results = new string?[units.Count];
        var failures = new int[units.Count];
        var pending = new SortedSet<int>();
        for (var i = 0; i < units.Count; i++)
        {
            results[i] = Store.ReadDone(units[i].Key);
            if (results[i] is null)
            {
                pending.Add(i);
            }
        }

        var running = new Dictionary<int, Assignment>();
        var silos = new Dictionary<string, SiloWork>(StringComparer.Ordinal);
        var members = new HashSet<string>(StringComparer.Ordinal);
        var lastRefresh = DateTime.MinValue;
        var noSiloSince = (DateTime?)null;
        var committed = 0;
        while (committed < units.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if ((pending.Count > 0 || running.Count > 0) && DateTime.UtcNow - lastRefresh >= _options.MembershipRefresh)
            {
                try
                {
                    members = await ClusterMembers.ActiveAsync(client, _options.CallTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Keep the last view: a membership read that times out says nothing about any one silo.
                }

                try
                {
                    var answering = await ClusterMembers.ListAsync(client, _options.CallTimeout, cancellationToken).ConfigureAwait(false);
                    silos.Clear();
                    foreach (var silo in answering.Where(a => members.Contains(a.Silo)))
                    {
                        silos[silo.Silo] = silo;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // As above: place on the silos known so far until the next refresh.
                }

                lastRefresh = DateTime.UtcNow;
                if (silos.Count == 0)
                {
                    noSiloSince ??= DateTime.UtcNow;
                    if (DateTime.UtcNow - noSiloSince > _options.NoSiloTimeout)
                    {
                        throw new InvalidOperationException(
                            $"{task}: no silo of the cluster has answered for {_options.NoSiloTimeout.TotalSeconds:F0} s ({pending.Count} of {units.Count} units not started). Start silos with `qp cluster silo` and run again; finished units are kept.");
                    }
                }
                else
                {
                    noSiloSince = null;
                }
            }

            await AssignAsync(units, pending, running, silos, cancellationToken).ConfigureAwait(false);
            await PollAsync(units, pending, running, silos, members, results, failures, cancellationToken).ConfigureAwait(false);
            while (committed < units.Count && results[committed] is { } result)
            {
                commit(committed, result);
                committed++;
                progress?.Report(new ProgressUpdate(task, committed, units.Count));
            }

            if (committed < units.Count)
            {
                await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task AssignAsync(IReadOnlyList<UnitRequest> units, SortedSet<int> pending, Dictionary<int, Assignment> running, Dictionary<string, SiloWork> silos, CancellationToken cancellationToken)
    {
        foreach (var index in pending.ToList())
        {
            if (running.Count >= _options.MaxInFlight || silos.Count == 0)
            {
                return;
            }

            var unit = units[index];
            var load = silos.Keys.ToDictionary(s => s, s => running.Values.Count(a => a.Silo == s), StringComparer.Ordinal);
            var candidates = silos.Values.Where(s => load[s.Silo] < s.Slots).ToList();
            if (unit.PreferGpu && silos.Values.Any(s => s.Gpu))
            {
                candidates = candidates.Where(s => s.Gpu).ToList();
            }

            var target = candidates.OrderBy(s => load[s.Silo]).ThenBy(s => s.Silo, StringComparer.Ordinal).FirstOrDefault();
            if (target is null)
            {
                continue;
            }

            try
            {
                var status = await client.GetGrain<ISiloWorkerGrain>(target.Silo).Start(unit).WaitAsync(_options.CallTimeout, cancellationToken).ConfigureAwait(false);
                if (status.State == UnitState.Failed && status.Error is { } refused)
                {
                    throw new InvalidOperationException($"Silo {target.Name} ({target.Silo}) refused unit {unit.Key}: {refused}");
                }

                pending.Remove(index);
                running[index] = new Assignment(target.Silo);
                lock (_placements)
                {
                    _placements.Add((unit.Key, target.Silo));
                }
            }
            catch (Exception e) when (e is not InvalidOperationException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
            {
                // The silo did not take it: leave the unit queued and stop using that silo until it answers a refresh.
                silos.Remove(target.Silo);
            }
        }
    }

    private async Task PollAsync(IReadOnlyList<UnitRequest> units, SortedSet<int> pending, Dictionary<int, Assignment> running, Dictionary<string, SiloWork> silos, HashSet<string> members, string?[] results, int[] failures, CancellationToken cancellationToken)
    {
        var polls = running.Select(async pair =>
        {
            try
            {
                var status = await client.GetGrain<ISiloWorkerGrain>(pair.Value.Silo).Poll(units[pair.Key].Key).WaitAsync(_options.CallTimeout, cancellationToken).ConfigureAwait(false);
                return (pair.Key, Status: (UnitStatus?)status);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return (pair.Key, Status: (UnitStatus?)null);
            }
        }).ToList();
        foreach (var (index, status) in await Task.WhenAll(polls).ConfigureAwait(false))
        {
            if (!running.TryGetValue(index, out var assignment))
            {
                continue;
            }

            switch (status?.State)
            {
                case null:
                    assignment.Missed++;
                    if (!members.Contains(assignment.Silo) || assignment.Missed >= _options.MissedPollsLimit)
                    {
                        Requeue(index, assignment.Silo);
                    }

                    break;
                case UnitState.Done:
                    results[index] = status.Result;
                    running.Remove(index);
                    break;
                case UnitState.Failed:
                    running.Remove(index);
                    failures[index]++;
                    if (failures[index] >= _options.MaxFailures)
                    {
                        throw new InvalidOperationException($"Unit {units[index].Key} ({units[index].Kind}, #{index + 1} of {units.Count}) failed on silo {status.Silo}: {status.Error}");
                    }

                    pending.Add(index);
                    break;
                case UnitState.Unknown:
                    // The silo restarted (same address, new generation) or lost the unit: run it again.
                    Requeue(index, null);
                    break;
                default:
                    assignment.Missed = 0;
                    break;
            }
        }

        void Requeue(int index, string? lostSilo)
        {
            running.Remove(index);
            pending.Add(index);
            Redispatched++;
            if (lostSilo is not null)
            {
                silos.Remove(lostSilo);
                foreach (var other in running.Where(r => r.Value.Silo == lostSilo).Select(r => r.Key).ToList())
                {
                    running.Remove(other);
                    pending.Add(other);
                    Redispatched++;
                }
            }
        }
    }

    private sealed class Assignment(string silo)
    {
        public string Silo { get; } = silo;

        public int Missed { get; set; }
    }
}
