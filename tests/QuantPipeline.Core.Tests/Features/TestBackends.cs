using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Features;

/// <summary>Every backend the feature tests run on: the float64 reference and each production backend.</summary>
internal static class TestBackends
{
    public static readonly string[] Names = ["reference", "managed", "native"];

    public static TheoryData<string> All => new(Names);

    public static IComputeBackend Get(string name) => name switch
    {
        "reference" => ReferenceBackend.Instance,
        "managed" => ManagedBackend.Instance,
        "native" => NativeBackend.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
