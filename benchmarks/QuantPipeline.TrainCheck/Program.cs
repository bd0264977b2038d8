using System.Globalization;
using QuantPipeline.Training.Training;
using QuantPipeline.Training.Workloads;

namespace QuantPipeline.TrainCheck;

/// <summary>
/// Same as <c>qp train-check</c> without the rest of the CLI (no DuckDB, no SQLite), so it packs small.
/// Options: --device auto|cpu|cuda, --workload w3|gru, --samples N, --symbols N, --dates N,
/// --threads N, --epochs N, --libtorch-dir DIR.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var options = new TrainCheckOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null)
            {
                Console.Error.WriteLine($"{args[i]} needs a value.");
                return 2;
            }

            try
            {
                options = args[i] switch
                {
                    "--device" => options with { Device = Enum.Parse<DeviceChoice>(value, ignoreCase: true) },
                    "--workload" => options with { Workload = value },
                    "--samples" => options with { Samples = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--symbols" => options with { Symbols = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--dates" => options with { Dates = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--threads" => options with { Threads = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--epochs" => options with { Epochs = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--libtorch-dir" => options with { LibTorchDir = value },
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                Console.Error.WriteLine($"{args[i]} {value}: {e.Message}. Options: --device auto|cpu|cuda --workload w3|gru --samples --symbols --dates --threads --epochs --libtorch-dir");
                return 2;
            }

            i++;
        }

        return QuantPipeline.Training.Workloads.TrainCheck.Run(options, Console.Out, Console.Error);
    }
}
