using System.CommandLine;
using QuantPipeline.Training.Training;
using QuantPipeline.Training.Workloads;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp train-check</c>: the W3 / GRU training workload on a chosen device, with samples/s.</summary>
public static class TrainCheckCommand
{
    public static Command Create()
    {
        var device = new Option<DeviceChoice>("--device") { Description = "auto | cpu | cuda (cuda fails with exit code 4 unless a CUDA libtorch and a GPU are present).", DefaultValueFactory = _ => DeviceChoice.Auto };
        var workload = new Option<string>("--workload") { Description = "w3 (MLP 158→256→128→1, batch 4,096) or gru (GRU 64 over 60-step sequences).", DefaultValueFactory = _ => "w3" };
        var samples = new Option<int>("--samples") { Description = "W3 samples (BENCHMARKS.md: 1,000,000).", DefaultValueFactory = _ => 1_000_000 };
        var symbols = new Option<int>("--symbols") { Description = "GRU: symbols per date (samples = symbols × (dates − 59)).", DefaultValueFactory = _ => 200 };
        var dates = new Option<int>("--dates") { Description = "GRU: dates.", DefaultValueFactory = _ => 160 };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = libtorch default).", DefaultValueFactory = _ => 0 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (the first includes warm-up).", DefaultValueFactory = _ => 1 };
        var libtorchDir = new Option<string?>("--libtorch-dir") { Description = "Load libc10/libtorch*.so from this folder before TorchSharp starts (e.g. a PyTorch wheel's torch/lib)." };
        var command = new Command(
            "train-check",
            CommandHelp.Describe(
                "Trains the W3 or GRU workload on synthetic data and prints the device, the loaded libtorch and samples/s.",
                "Samples/s include data feeding. Exit code 4 when --device cuda is asked for and no CUDA libtorch or GPU is present.",
                "qp train-check",
                "qp train-check --workload w3 --samples 200000 --epochs 2 --threads 2",
                "qp train-check --workload gru --device cuda"))
        {
            device, workload, samples, symbols, dates, threads, epochs, libtorchDir,
        };
        command.SetAction(parse => TrainCheck.Run(
            new TrainCheckOptions
            {
                Device = parse.GetValue(device),
                Workload = parse.GetValue(workload)!,
                Samples = parse.GetValue(samples),
                Symbols = parse.GetValue(symbols),
                Dates = parse.GetValue(dates),
                Threads = parse.GetValue(threads),
                Epochs = parse.GetValue(epochs),
                LibTorchDir = parse.GetValue(libtorchDir),
            },
            Console.Out,
            Console.Error));
        return command;
    }
}
