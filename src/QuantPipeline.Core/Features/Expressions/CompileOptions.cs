namespace QuantPipeline.Core.Features.Expressions;

/// <summary><see cref="AllowLookAhead"/> is for labels only: features must never read bars after t.</summary>
public sealed record CompileOptions(bool AllowLookAhead = false)
{
    public static readonly CompileOptions Features = new();

    public static readonly CompileOptions Labels = new(AllowLookAhead: true);
}
