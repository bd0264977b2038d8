
namespace QuantPipeline.EndToEnd.Tests;

/// <summary>The qp executable as a user runs it.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-cli-").FullName;

    private static (int Exit, string Out, string Err) Qp(params string[] args) => QpProcess.Run(args);

    [Fact]
    public void Demo_command_prints_each_stage_the_gate_and_the_version()
    {
        var (exit, output, error) = Qp("demo", "--workdir", _dir);
        Assert.True(exit == 0, output + error);
        foreach (var stage in new[] { "ingest", "prepare", "features", "train", "validate", "gate", "register", "deploy", "monitor" })
        {
            Assert.Matches($@"(?m)^\s+{stage}\s+ok\s+\d+\.\d+ s", output);
        }

        Assert.Contains("gate: PASS", output);
        Assert.Contains("registered: demo_mlp version 1", output);
    }

    [Fact]
    public void Help_explains_the_demo()
    {
        var (exit, output, _) = Qp("demo", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--workdir", output);
        Assert.Contains("Examples", output);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
