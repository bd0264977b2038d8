using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using QuantPipeline.Training.Devices;
using QuantPipeline.Training.Training;
using QuantPipeline.Training.Workloads;
using TorchSharp;

namespace QuantPipeline.Cli.Commands;

/// <summary>
/// <c>qp train-check</c>: trains the W3 (or GRU) workload on the chosen device and prints which
/// libtorch and device ran and the samples/s, data feeding included. The GPU check entry point.
/// </summary>
public static class TrainCheckCommand
{
    private static readonly string[] LibTorchLoadOrder = ["libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so"];

    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda (cuda fails unless a CUDA libtorch and a GPU are present).", DefaultValueFactory = _ => "auto" };
        var workload = new Option<string>("--workload") { Description = "w3 (MLP 158→256→128→1, batch 4096) or gru (GRU 64 over 60-step sequences).", DefaultValueFactory = _ => "w3" };
        var samples = new Option<int>("--samples") { Description = "W3 samples (BENCHMARKS.md: 1,000,000).", DefaultValueFactory = _ => 1_000_000 };
        var symbols = new Option<int>("--symbols") { Description = "GRU workload: symbols per date (samples = symbols × (dates − 59)).", DefaultValueFactory = _ => 200 };
        var dates = new Option<int>("--dates") { Description = "GRU workload: dates.", DefaultValueFactory = _ => 160 };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = libtorch default).", DefaultValueFactory = _ => 0 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (the first includes warm-up).", DefaultValueFactory = _ => 1 };
        var libtorchDir = new Option<DirectoryInfo?>("--libtorch-dir") { Description = "Load libc10/libtorch*.so from this folder before TorchSharp starts (e.g. a PyTorch wheel's torch/lib)." };
        var command = new Command("train-check", "Trains the W3 or GRU training workload on synthetic data and prints the device, the loaded libtorch and samples/s.")
        {
            device, workload, samples, symbols, dates, threads, epochs, libtorchDir,
        };
        command.SetAction(parse => Run(
            parse.GetValue(device)!, parse.GetValue(workload)!, parse.GetValue(samples), parse.GetValue(symbols), parse.GetValue(dates),
            parse.GetValue(threads), parse.GetValue(epochs), parse.GetValue(libtorchDir)));
        return command;
    }

    private static int Run(string deviceText, string workload, int samples, int symbols, int dates, int threads, int epochs, DirectoryInfo? libtorchDir)
    {
        if (!Enum.TryParse<DeviceChoice>(deviceText, ignoreCase: true, out var choice))
        {
            Console.Error.WriteLine($"--device must be auto, cpu or cuda, not '{deviceText}'.");
            return 2;
        }

        if (libtorchDir is not null && !Preload(libtorchDir))
        {
            return 3;
        }

        bool cudaAvailable;
        try
        {
            cudaAvailable = torch.cuda.is_available();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or NotSupportedException)
        {
            Console.Error.WriteLine($"TorchSharp could not start libtorch: {e.GetBaseException().Message}");
            PrintLoaded();
            return 3;
        }

        Console.WriteLine($"TorchSharp {TorchDevice.TorchSharpVersion}");
        PrintLoaded();
        Console.WriteLine($"cuda available: {(cudaAvailable ? $"yes, {torch.cuda.device_count()} device(s)" : "no")}");
        if (choice == DeviceChoice.Cuda && !cudaAvailable)
        {
            Console.Error.WriteLine("FAILED: --device cuda, but CUDA is not available. Build with -p:TorchBackend=cuda (CUDA libtorch) and run on a machine with an NVIDIA GPU and driver, or pass --libtorch-dir with a CUDA libtorch.");
            return 4;
        }

        var log = (string line) => Console.WriteLine(line);
        var watch = Stopwatch.StartNew();
        TrainedModel trained;
        long trainedSamples;
        string label;
        if (string.Equals(workload, "gru", StringComparison.OrdinalIgnoreCase))
        {
            var panels = TrainingWorkloads.GruPanels(dates, symbols, 16);
            Console.WriteLine($"data: {dates} dates × {symbols} symbols × 16 features, sequences of {TrainingWorkloads.GruSequenceLength} (generated in {watch.Elapsed.TotalSeconds:F1} s, not timed)");
            watch.Restart();
            trained = TrainingWorkloads.RunGru(panels, TrainingWorkloads.GruOptions(choice, threads) with { Epochs = epochs }, log);
            trainedSamples = (long)(dates - TrainingWorkloads.GruSequenceLength + 1) * symbols * epochs;
            label = "gru-60";
        }
        else
        {
            var (features, labels) = TrainingWorkloads.W3Data(samples);
            Console.WriteLine($"data: {samples:N0} × {TrainingWorkloads.W3Features} features (generated in {watch.Elapsed.TotalSeconds:F1} s, not timed)");
            watch.Restart();
            trained = TrainingWorkloads.RunW3(features, labels, TrainingWorkloads.W3Options(choice, threads) with { Epochs = epochs }, log);
            trainedSamples = (long)samples * epochs;
            label = "W3 mlp-158";
        }

        var seconds = watch.Elapsed.TotalSeconds;
        using (trained)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT {label}: {trainedSamples:N0} samples in {seconds:F2} s = {trainedSamples / seconds:N0} samples/s on {trained.Card.Device} ({torch.get_num_threads()} CPU threads), data feeding included; final train loss {trained.Card.Curve[^1].TrainLoss:G5}"));
        }

        return 0;
    }

    private static bool Preload(DirectoryInfo dir)
    {
        if (!dir.Exists)
        {
            Console.Error.WriteLine($"--libtorch-dir {dir.FullName} does not exist.");
            return false;
        }

        foreach (var name in LibTorchLoadOrder)
        {
            var path = Path.Combine(dir.FullName, name);
            if (!File.Exists(path))
            {
                continue;
            }

            if (NativeLibrary.TryLoad(path, out _))
            {
                Console.WriteLine($"preloaded {path}");
            }
            else
            {
                Console.Error.WriteLine($"could not load {path} (missing dependency? check ldd {path})");
                return false;
            }
        }

        return true;
    }

    private static void PrintLoaded()
    {
        foreach (var path in TorchDevice.LoadedLibTorch())
        {
            Console.WriteLine($"loaded: {path}");
        }
    }
}
