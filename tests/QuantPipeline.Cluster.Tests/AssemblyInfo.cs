// The cluster tests start silos (in-process and as processes) that compete for the same cores; one at a time keeps
// their liveness probes and poll timeouts meaningful on a small CI machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
