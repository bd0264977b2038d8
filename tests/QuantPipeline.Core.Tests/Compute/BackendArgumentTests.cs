using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Compute;

public class BackendArgumentTests
{
    public static TheoryData<string> Backends => new() { "native", "gpu" };

    [Theory]
    [MemberData(nameof(Backends))]
    public void Bad_arguments_are_refused_with_a_message_naming_the_problem(string backend)
    {
        var b = TestBackends.Get(backend);
        var src = new float[12];
        var dst = new float[12];
        var shape = Assert.Throws<ArgumentException>(() => b.Rolling(RollingOp.Std, src, new float[11], 3, 4, new RollingSpec(2)));
        Assert.Contains("[3, 4]", shape.Message);
        var window = Assert.Throws<ArgumentOutOfRangeException>(() => b.Rolling(RollingOp.Mean, src, dst, 3, 4, new RollingSpec(0)));
        Assert.Contains("Window must be at least 1", window.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Rolling(RollingOp.Quantile, src, dst, 3, 4, new RollingSpec(2, Quantile: 1.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Ewm(src, dst, 3, 4, new EwmSpec(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Rsi(src, dst, 3, 4, 0));
        var mask = Assert.Throws<ArgumentException>(() => b.CrossSectional(CrossSectionalOp.Rank, src, new bool[5], dst, 3, 4, new CrossSectionalSpec(0.01, 0.99, 1)));
        Assert.Contains("mask has 5 cells", mask.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => b.CrossSectional(CrossSectionalOp.Winsorize, src, [], dst, 3, 4, new CrossSectionalSpec(0.9, 0.1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.FillForward(src, dst, 3, 4, -1));
        Assert.Throws<ArgumentException>(() => b.Binary(BinaryOp.Add, src, new float[3], dst));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Empty_panels_are_a_no_op(string backend)
    {
        var b = TestBackends.Get(backend);
        Assert.Null(Record.Exception(() => b.Rolling(RollingOp.Mean, [], [], 0, 5, new RollingSpec(3))));
        Assert.Null(Record.Exception(() => b.CrossSectional(CrossSectionalOp.Rank, [], [], [], 4, 0, new CrossSectionalSpec(0.01, 0.99, 1))));
        Assert.Null(Record.Exception(() => b.Unary(UnaryOp.Abs, [], [])));
        Assert.Null(Record.Exception(() => b.Ewm([], [], 0, 0, new EwmSpec(0.5))));
    }
}
