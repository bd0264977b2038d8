using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Compute;

public class ComputeBackendsTests
{
    [Theory]
    [InlineData("managed", "managed")]
    [InlineData("native", "native")]
    [InlineData(" Managed ", "managed")]
    public void Named_backends_are_created_and_logged(string name, string expected)
    {
        var lines = new System.Collections.Concurrent.ConcurrentBag<string>();
        var previous = ComputeBackends.Log;
        ComputeBackends.Log = lines.Add;
        try
        {
            Assert.Equal(expected, ComputeBackends.Create(name).Name);
            // Other test classes may log through the same hook meanwhile, so look for our line among them.
            Assert.Contains($"compute backend: {expected} (requested)", lines);
        }
        finally
        {
            ComputeBackends.Log = previous;
        }
    }

    [Fact]
    public void Auto_takes_the_native_library_when_it_loads()
    {
        // The test build copies libqpnative next to the assemblies, so auto must find it.
        Assert.Equal("native", ComputeBackends.Create("auto").Name);
    }

    [Fact]
    public void Unknown_and_unavailable_backends_say_what_to_choose()
    {
        var unknown = Assert.Throws<ArgumentException>(() => ComputeBackends.Create("cuda"));
        Assert.Contains("auto, managed, native, gpu", unknown.Message);
        var gpu = Assert.Throws<NotSupportedException>(() => ComputeBackends.Create("gpu"));
        Assert.Contains("not available in this build", gpu.Message);
    }
}
