using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using QuantPipeline.Training.Devices;
using QuantPipeline.Training.Training;
using TorchSharp;

namespace QuantPipeline.Training.Workloads;

public sealed record TrainCheckOptions
{
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;

    /// <summary>"w3" or "gru".</summary>
    public string Workload { get; init; } = "w3";

    public int Samples { get; init; } = 1_000_000;

    public int Symbols { get; init; } = 200;

    public int Dates { get; init; } = 160;

    public int Threads { get; init; }

    public int Epochs { get; init; } = 1;

    /// <summary>Folder whose libc10/libtorch shared libraries are loaded before TorchSharp starts.</summary>
    public string? LibTorchDir { get; init; }
}

/// <summary>
/// Trains the W3 (or GRU) workload on the chosen device and prints which libtorch and device ran
/// and the samples/s, data feeding included. Exit codes: 0 done, 2 bad option, 3 libtorch would
/// not load, 4 CUDA requested but unavailable.
/// </summary>
public static class TrainCheck
{
    private static readonly string[] LibTorchLoadOrder = ["libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so"];

    public static int Run(TrainCheckOptions options, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var gru = string.Equals(options.Workload, "gru", StringComparison.OrdinalIgnoreCase);
        if (!gru && !string.Equals(options.Workload, "w3", StringComparison.OrdinalIgnoreCase))
        {
            error.WriteLine($"--workload must be w3 or gru, not '{options.Workload}'.");
            return 2;
        }

        if (options.LibTorchDir is not null && !Preload(options.LibTorchDir, output, error))
        {
            return 3;
        }

        bool cudaAvailable;
        try
        {
            cudaAvailable = torch.cuda.is_available();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or NotSupportedException or InvalidOperationException)
        {
            error.WriteLine($"FAILED: TorchSharp could not start libtorch: {e.GetBaseException().Message}");
            PrintLoaded(output);
            return 3;
        }

        output.WriteLine($"TorchSharp {TorchDevice.TorchSharpVersion}");
        PrintLoaded(output);
        output.WriteLine($"cuda available: {(cudaAvailable ? $"yes, {torch.cuda.device_count()} device(s)" : "no")}");
        if (options.Device == DeviceChoice.Cuda && !cudaAvailable)
        {
            error.WriteLine("FAILED: CUDA was requested but is not available. The loaded libtorch is a CPU build, or no NVIDIA GPU/driver is visible. Build with -p:TorchBackend=cuda, or pass --libtorch-dir with a CUDA libtorch (e.g. a PyTorch wheel's torch/lib).");
            return 4;
        }

        var log = (string line) => output.WriteLine(line);
        var watch = Stopwatch.StartNew();
        TrainedModel trained;
        long trainedSamples;
        string name;
        if (gru)
        {
            var panels = TrainingWorkloads.GruPanels(options.Dates, options.Symbols, 16);
            output.WriteLine($"data: {options.Dates} dates × {options.Symbols} symbols × 16 features, sequences of {TrainingWorkloads.GruSequenceLength} (generated in {watch.Elapsed.TotalSeconds:F1} s, not timed)");
            watch.Restart();
            trained = TrainingWorkloads.RunGru(panels, TrainingWorkloads.GruOptions(options.Device, options.Threads) with { Epochs = options.Epochs }, log);
            trainedSamples = (long)(options.Dates - TrainingWorkloads.GruSequenceLength + 1) * options.Symbols * options.Epochs;
            name = "gru-60";
        }
        else
        {
            var (features, labels) = TrainingWorkloads.W3Data(options.Samples);
            output.WriteLine($"data: {options.Samples:N0} × {TrainingWorkloads.W3Features} features (generated in {watch.Elapsed.TotalSeconds:F1} s, not timed)");
            watch.Restart();
            trained = TrainingWorkloads.RunW3(features, labels, TrainingWorkloads.W3Options(options.Device, options.Threads) with { Epochs = options.Epochs }, log);
            trainedSamples = (long)options.Samples * options.Epochs;
            name = "W3 mlp-158";
        }

        var seconds = watch.Elapsed.TotalSeconds;
        using (trained)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT {name}: {trainedSamples:N0} samples in {seconds:F2} s = {trainedSamples / seconds:N0} samples/s on {trained.Card.Device} ({torch.get_num_threads()} CPU threads, {trained.Card.Precision}), data feeding included; final train loss {trained.Card.Curve[^1].TrainLoss:G5}"));
        }

        return 0;
    }

    private static bool Preload(string directory, TextWriter output, TextWriter error)
    {
        if (!Directory.Exists(directory))
        {
            error.WriteLine($"FAILED: --libtorch-dir {directory} does not exist.");
            return false;
        }

        var any = false;
        foreach (var name in LibTorchLoadOrder)
        {
            var path = Path.Combine(Path.GetFullPath(directory), name);
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                NativeLibrary.Load(path);
                output.WriteLine($"preloaded {path}");
                any = true;
            }
            catch (DllNotFoundException e)
            {
                error.WriteLine($"FAILED: could not load {path}: {e.Message}");
                return false;
            }
        }

        if (!any)
        {
            error.WriteLine($"FAILED: --libtorch-dir {directory} holds none of {string.Join(", ", LibTorchLoadOrder)}.");
        }

        return any;
    }

    private static void PrintLoaded(TextWriter output)
    {
        foreach (var path in TorchDevice.LoadedLibTorch())
        {
            output.WriteLine($"loaded: {path}");
        }
    }
}
