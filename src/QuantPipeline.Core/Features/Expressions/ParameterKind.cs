namespace QuantPipeline.Core.Features.Expressions;

public enum ParameterKind
{
    /// <summary>Any expression; a number is broadcast to every cell.</summary>
    Series,

    /// <summary>A whole number of bars, at least 1.</summary>
    Window,

    /// <summary>A whole number of bars, negative to look ahead.</summary>
    Periods,

    /// <summary>A number literal.</summary>
    Number,
}
