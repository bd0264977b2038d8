// libtorch's thread count is process-wide and the determinism tests fix it: tests must not change it under each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
