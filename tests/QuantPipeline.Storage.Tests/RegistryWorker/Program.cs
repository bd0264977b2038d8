using System.Globalization;
using QuantPipeline.Storage.Registry;

// Usage: QuantPipeline.RegistryWorker REGISTRY_URI MODEL COUNT WORKER_ID
// Registers COUNT versions of MODEL, promoting each to production and, every third one, rolling back;
// prints one line per registered version ("registered N"), so the parent test can check for lost or
// duplicated numbers across processes.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: QuantPipeline.RegistryWorker REGISTRY_URI MODEL COUNT WORKER_ID");
    return 2;
}

var (uri, model, count, worker) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
using var registry = ModelRegistry.Open(uri, Environment.CurrentDirectory);
for (var i = 0; i < count; i++)
{
    var version = registry.Register(new ModelVersionRequest(
        model,
        new DateOnly(2024, 1, 2),
        "approved",
        new Dictionary<string, double> { ["sharpe"] = i },
        new Dictionary<string, string> { ["worker"] = worker, ["i"] = i.ToString(CultureInfo.InvariantCulture) },
        $"/artifacts/{worker}/{i}",
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{worker}/{i}")))), actor: $"worker-{worker}@test");
    Console.WriteLine($"registered {version.Version}");
    registry.Promote(model, version.Version, ModelRegistry.Production, actor: $"worker-{worker}@test");
    if (i % 3 == 2)
    {
        registry.Rollback(model, ModelRegistry.Production, actor: $"worker-{worker}@test");
    }
}

return 0;
