using QuantPipeline.Training.Training;
using QuantPipeline.Training.Workloads;
using TorchSharp;

namespace QuantPipeline.Training.Tests;

public class TrainCheckTests
{
    [Fact]
    public void W3_check_reports_the_libtorch_the_device_and_samples_per_second()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = TrainCheck.Run(new TrainCheckOptions { Device = DeviceChoice.Cpu, Samples = 8192, Threads = 1 }, output, error);
        Assert.Equal(0, code);
        var text = output.ToString();
        Assert.Contains("TorchSharp 0.107", text);
        Assert.Contains("libtorch_cpu.so", text);
        Assert.Matches(@"RESULT W3 mlp-158: 8,192 samples in [0-9.]+ s = [0-9,]+ samples/s on cpu", text);
        Assert.Matches(@"epoch 1/1 .*samples/s  ETA", text);
    }

    [Fact]
    public void Cuda_check_without_cuda_fails_with_its_own_exit_code()
    {
        if (torch.cuda.is_available())
        {
            return;
        }

        var error = new StringWriter();
        var code = TrainCheck.Run(new TrainCheckOptions { Device = DeviceChoice.Cuda, Samples = 10 }, new StringWriter(), error);
        Assert.Equal(4, code);
        Assert.Contains("CUDA was requested but is not available", error.ToString());
    }

    [Fact]
    public void Unknown_workload_and_missing_libtorch_folder_are_reported()
    {
        var error = new StringWriter();
        Assert.Equal(2, TrainCheck.Run(new TrainCheckOptions { Workload = "cnn" }, new StringWriter(), error));
        Assert.Contains("w3 or gru", error.ToString());
        var missing = Path.Combine(Path.GetTempPath(), $"qp-no-such-{Guid.NewGuid():N}");
        Assert.Equal(3, TrainCheck.Run(new TrainCheckOptions { LibTorchDir = missing }, new StringWriter(), error));
        Assert.Contains(missing, error.ToString());
    }
}
