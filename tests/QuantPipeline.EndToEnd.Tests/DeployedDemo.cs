using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>One demo run shared by the registry, audit, deploy and reproduce tests (training is the slow part).</summary>
public sealed class DeployedDemo : IDisposable
{
    public DeployedDemo()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("qp-deployed-").FullName;
        Result = new ProductionPipeline(SingleRunDemo.Config, Directory).RunDemo(SingleRunDemo.Market);
    }

    public string Directory { get; }

    public PipelineResult Result { get; }

    /// <summary>A private copy of the working folder, for tests that tamper with it.</summary>
    public string Copy()
    {
        var target = System.IO.Directory.CreateTempSubdirectory("qp-deployed-copy-").FullName;
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Directory, file);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }

        return target;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
