using BenchmarkDotNet.Running;

namespace QuantPipeline.Benchmarks;

public static class Program
{
    /// <summary>
    /// dotnet run -c Release --project benchmarks/QuantPipeline.Benchmarks -- --filter '*F8*'
    /// Add --job short for a quick run. "-- peer ..." runs the side-by-side peer measurements (see PeerRunner).
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "peer")
        {
            return PeerRunner.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
