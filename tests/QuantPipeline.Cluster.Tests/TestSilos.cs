using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.TestingHost;
using QuantPipeline.Cluster.Backfill;
using QuantPipeline.Cluster.Hosting;

namespace QuantPipeline.Cluster.Tests;

/// <summary>In-process silos of Orleans' TestingHost with the product's work services. Secondary_1 declares a GPU.</summary>
public sealed class TestSilos : ISiloConfigurator
{
    public const string SharedKey = "QpShared";
    public const string GpuSilo = "Secondary_1";
    public const string RetrainKey = "QpRetrain";

    public void Configure(ISiloBuilder siloBuilder)
    {
        var shared = siloBuilder.Configuration[SharedKey] ?? throw new InvalidOperationException("The test cluster has no shared folder.");
        siloBuilder.AddQuantPipelineWork(services =>
        {
            var name = services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName;
            return new SiloSettings(name, name == GpuSilo, Slots: 2, shared);
        });
        if (siloBuilder.Configuration[RetrainKey] != "pipeline")
        {
            siloBuilder.Services.AddSingleton<IRetrainUnit, SlopeRetrainUnit>();
        }
    }

    /// <summary>Silos whose retrain unit is the product's binding to the production pipeline.</summary>
    public static Task<(TestCluster Cluster, string Shared)> StartWithPipelineAsync(int silos) => StartAsync(silos, "pipeline");

    public static async Task<(TestCluster Cluster, string Shared)> StartAsync(int silos, string retrain = "slope")
    {
        var shared = Directory.CreateTempSubdirectory("qp-cluster-test-").FullName;
        var builder = new TestClusterBuilder((short)silos);
        builder.Properties[SharedKey] = shared;
        builder.Properties[RetrainKey] = retrain;
        builder.AddSiloBuilderConfigurator<TestSilos>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return (cluster, shared);
    }
}
