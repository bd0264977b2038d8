using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>The backends the conformance suite runs; each new backend adds one name here.</summary>
internal static class Backends
{
    public static readonly string[] Names = ["managed", "native", "gpu"];

    public static IComputeBackend Get(string name) => ComputeBackends.Create(name);
}
