using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using QuantPipeline.Storage.Artifacts;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Cli.Commands;

/// <summary>Options shared by the commands that read or change the registry, and their error handling.</summary>
public static class RegistryOptions
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Option<string> Registry() => new("--registry")
    {
        Description = "Registry URI: sqlite:///models.db (relative to --workdir), sqlite:////abs/models.db, or postgresql://user@host:port/db. Default: $QP_REGISTRY_URI, else sqlite:///models.db.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("QP_REGISTRY_URI") is { Length: > 0 } uri ? uri : "sqlite:///models.db",
    };

    public static Option<DirectoryInfo> Workdir() => new("--workdir")
    {
        Description = "Working folder the pipeline ran in (relative registry paths, the market store and artifacts are found there). Default: the current folder.",
        DefaultValueFactory = _ => new DirectoryInfo("."),
    };

    public static Option<bool> JsonOutput() => new("--json") { Description = "Print machine-readable JSON instead of text." };

    public static ModelRegistry Open(string uri, DirectoryInfo workdir)
    {
        var parsed = RegistryUri.Parse(uri, workdir.FullName);
        if (!parsed.IsPostgres && !File.Exists(parsed.Location))
        {
            throw new FileNotFoundException($"No registry at {parsed.Location}: run the pipeline first (qp demo --workdir DIR) or pass --workdir/--registry.");
        }

        return ModelRegistry.Open(uri, workdir.FullName);
    }

    public static void PrintJson(object value) => Console.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>Runs a command body and turns the errors a user can cause into one line on stderr and exit code 1.</summary>
    public static int Guard(Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException or FileNotFoundException or ArtifactIntegrityException or System.Data.Common.DbException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
