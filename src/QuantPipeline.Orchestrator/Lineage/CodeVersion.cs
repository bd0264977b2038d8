using System.Diagnostics;
using System.Reflection;

namespace QuantPipeline.Orchestrator.Lineage;

/// <summary>
/// The version of the code that trains: the git commit the build came from when the SDK stamped it into the
/// informational version (1.0.0+&lt;sha&gt;), else the commit of a git checkout around the binaries, else the
/// assembly's informational version.
/// </summary>
public static class CodeVersion
{
    private static readonly Lazy<string> Cached = new(Compute);

    public static string Current => Cached.Value;

    private static string Compute()
    {
        var informational = typeof(CodeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0 && informational.Length - plus - 1 >= 7)
        {
            return "git:" + informational[(plus + 1)..];
        }

        return GitCommit(AppContext.BaseDirectory) is { } commit ? "git:" + commit : "assembly:" + informational;
    }

    private static string? GitCommit(string directory)
    {
        try
        {
            var info = new ProcessStartInfo("git", ["-C", directory, "rev-parse", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var git = Process.Start(info);
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            return git.WaitForExit(5000) && git.ExitCode == 0 && output.Length == 40 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
