using QuantPipeline.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantPipeline.Training.Devices;

/// <summary>Resolves auto | cpu | cuda to a torch device and describes the loaded libtorch.</summary>
public static class TorchDevice
{
    public static Device Resolve(DeviceChoice choice)
    {
        switch (choice)
        {
            case DeviceChoice.Cpu:
                return CPU;
            case DeviceChoice.Cuda:
                if (!CudaAvailable())
                {
                    throw new InvalidOperationException(
                        "CUDA was requested but is not available: this build loads the CPU libtorch (build with -p:TorchBackend=cuda for the CUDA one) or no NVIDIA GPU/driver is visible. "
                        + $"Loaded libtorch: {string.Join(", ", LoadedLibTorch().DefaultIfEmpty("none yet"))}. Use --device cpu or auto.");
                }

                return CUDA;
            default:
                return CudaAvailable() ? CUDA : CPU;
        }
    }

    public static bool CudaAvailable()
    {
        try
        {
            return cuda.is_available();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException)
        {
            return false;
        }
    }

    public static string TorchSharpVersion => typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>libtorch/c10 shared libraries mapped into this process (Linux), so logs show which build ran.</summary>
    public static IReadOnlyList<string> LoadedLibTorch()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return [];
        }

        return File.ReadLines(maps)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length >= 6)
            .Select(parts => parts[^1])
            .Where(path => Path.GetFileName(path) is var name && (name.StartsWith("libtorch", StringComparison.Ordinal) || name.StartsWith("libc10", StringComparison.Ordinal) || name.StartsWith("libLibTorchSharp", StringComparison.Ordinal)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    public static string Describe(Device device) => device.type == DeviceType.CUDA ? $"cuda:{Math.Max(device.index, 0)}" : "cpu";
}
