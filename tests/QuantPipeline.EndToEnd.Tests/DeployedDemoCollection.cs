namespace QuantPipeline.EndToEnd.Tests;

/// <summary>Test classes that share one trained and deployed demo (trained once for all of them).</summary>
[CollectionDefinition(Name)]
public sealed class DeployedDemoCollection : ICollectionFixture<DeployedDemo>
{
    public const string Name = "deployed demo";
}
