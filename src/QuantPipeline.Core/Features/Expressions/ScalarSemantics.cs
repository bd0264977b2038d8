using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Features.Expressions;

/// <summary>
/// The element-wise operators on one value, used to fold constant subexpressions at compile time.
/// Comparisons with NaN are false (0), as in pandas; a value is true when it is non-zero and not NaN.
/// </summary>
public static class ScalarSemantics
{
    public static double Unary(UnaryOp op, double x) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => Math.Abs(x),
        UnaryOp.Log => Math.Log(x),
        UnaryOp.Exp => Math.Exp(x),
        UnaryOp.Sqrt => Math.Sqrt(x),
        UnaryOp.Sign => double.IsNaN(x) ? double.NaN : Math.Sign(x),
        UnaryOp.Not => IsTrue(x) ? 0 : 1,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static double Binary(BinaryOp op, double a, double b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => a / b,
        BinaryOp.Pow => Math.Pow(a, b),
        BinaryOp.Max => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b),
        BinaryOp.Min => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Min(a, b),
        BinaryOp.Gt => a > b ? 1 : 0,
        BinaryOp.Lt => a < b ? 1 : 0,
        BinaryOp.Ge => a >= b ? 1 : 0,
        BinaryOp.Le => a <= b ? 1 : 0,
        BinaryOp.Eq => a == b ? 1 : 0,
        BinaryOp.Ne => a != b ? 1 : 0,
        BinaryOp.And => IsTrue(a) && IsTrue(b) ? 1 : 0,
        BinaryOp.Or => IsTrue(a) || IsTrue(b) ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static bool IsTrue(double x) => x != 0 && !double.IsNaN(x);
}
