using BenchmarkDotNet.Running;

namespace QuantPipeline.Benchmarks;

public static class Program
{
    /// <summary>
    /// dotnet run -c Release --project benchmarks/QuantPipeline.Benchmarks -- --filter '*RollingMean*'
    /// Add --job short for a quick run.
    /// </summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
