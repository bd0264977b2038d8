using System.Diagnostics;
using System.Security.Cryptography;

namespace QuantPipeline.Training.Tests.Build;

/// <summary>The build step that marks TorchSharp's GLIBCXX_3.4.32 need weak, exercised on real ELF files.</summary>
public sealed class ElfWeakenToolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-elf-").FullName;

    private static string Tool => Path.Combine(RepoPaths.Root, "native", "build", "Release", "qp-elf-weaken");

    private static string CachedTorchSharp => Path.Combine(RepoPaths.NuGetPackages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static string HostLibStdCxx
    {
        get
        {
            string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6"];
            return candidates.First(File.Exists);
        }
    }

    private static string HostLibC
    {
        get
        {
            string[] candidates = ["/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib64/libc.so.6"];
            return candidates.First(File.Exists);
        }
    }

    private string CopyOfTorchSharp()
    {
        var copy = Path.Combine(_dir, "libLibTorchSharp.so");
        File.Copy(CachedTorchSharp, copy, overwrite: true);
        return copy;
    }

    private static (int Exit, string Output) RunTool(params string[] args)
    {
        var info = new ProcessStartInfo(Tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    private static string Sha(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void Patches_torchsharp_when_host_lacks_the_version_and_only_the_flag_changes()
    {
        var copy = CopyOfTorchSharp();
        var before = File.ReadAllBytes(copy);
        // A host library without GLIBCXX_3.4.32 (Debian 12's libstdc++ stops at 3.4.30; libc has no GLIBCXX at all,
        // which keeps the test independent of the distribution it runs on).
        var (exit, output) = RunTool(copy, "--version", "GLIBCXX_3.4.32", "--host-lib", HostLibC);
        Assert.Equal(0, exit);
        Assert.StartsWith("patched", output);
        Assert.Contains("_ZSt21ios_base_library_initv", output);
        var after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        Assert.Single(changed);
        Assert.Equal(0x2, after[changed[0]] & ~before[changed[0]]); // VER_FLG_WEAK set, nothing else

        var (again, secondOutput) = RunTool(copy, "--version", "GLIBCXX_3.4.32", "--host-lib", HostLibC);
        Assert.Equal(0, again);
        Assert.StartsWith("already-weak", secondOutput);
    }

    [Fact]
    public void Leaves_the_file_alone_when_the_host_provides_the_version()
    {
        var copy = CopyOfTorchSharp();
        var before = Sha(copy);
        // Every libstdc++ since GCC 4 defines GLIBCXX_3.4, which TorchSharp also needs.
        var (exit, output) = RunTool(copy, "--version", "GLIBCXX_3.4", "--host-lib", HostLibStdCxx);
        Assert.Equal(0, exit);
        Assert.StartsWith("host-provides", output);
        Assert.Equal(before, Sha(copy));
    }

    [Fact]
    public void Reports_not_needed_for_a_version_the_file_does_not_use()
    {
        var copy = CopyOfTorchSharp();
        var (exit, output) = RunTool(copy, "--version", "GLIBCXX_9.9.99", "--host-lib", HostLibC);
        Assert.Equal(0, exit);
        Assert.StartsWith("not-needed", output);
    }

    [Fact]
    public void Refuses_when_relocations_use_symbols_of_the_version()
    {
        var copy = CopyOfTorchSharp();
        var before = Sha(copy);
        // libc does not define GLIBCXX_3.4, and TorchSharp binds many symbols of that version (operator new, …).
        var (exit, output) = RunTool(copy, "--version", "GLIBCXX_3.4", "--host-lib", HostLibC);
        Assert.Equal(3, exit);
        Assert.StartsWith("refused", output);
        Assert.Contains("_Znwm", output);
        Assert.Equal(before, Sha(copy));
    }

    [Fact]
    public void Never_edits_the_file_behind_a_hard_link()
    {
        var copy = CopyOfTorchSharp();
        var link = Path.Combine(_dir, "linked.so");
        Assert.Equal(0, Link(copy, link));
        var before = Sha(copy);
        var (exit, _) = RunTool(link, "--version", "GLIBCXX_3.4.32", "--host-lib", HostLibC);
        Assert.Equal(0, exit);
        Assert.Equal(before, Sha(copy)); // the other name of the inode (think: the NuGet cache) is untouched
        Assert.NotEqual(before, Sha(link));
    }

    [Fact]
    public void The_build_output_copy_is_patched_and_the_cache_is_not()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), "TorchSharp's native library should be in the test output via the Training reference");
        var (exit, text) = RunTool(output, "--version", "GLIBCXX_3.4.32", "--host-lib", HostLibStdCxx, "--dry-run");
        Assert.Equal(0, exit);
        Assert.True(text.StartsWith("already-weak", StringComparison.Ordinal) || text.StartsWith("host-provides", StringComparison.Ordinal), text);
        var (_, cacheText) = RunTool(CachedTorchSharp, "--version", "GLIBCXX_3.4.32", "--host-lib", HostLibStdCxx, "--dry-run");
        Assert.True(cacheText.StartsWith("would-patch", StringComparison.Ordinal) || cacheText.StartsWith("host-provides", StringComparison.Ordinal), cacheText);
    }

    private static int Link(string existing, string newName)
    {
        var info = new ProcessStartInfo("ln") { ArgumentList = { existing, newName } };
        using var p = Process.Start(info)!;
        p.WaitForExit();
        return p.ExitCode;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
