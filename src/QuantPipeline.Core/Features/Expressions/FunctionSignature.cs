namespace QuantPipeline.Core.Features.Expressions;

public sealed record FunctionSignature(string Name, IReadOnlyList<ParameterKind> Parameters, string Description)
{
    public string Usage => Name + "(" + string.Join(", ", Parameters.Select((p, i) => p switch
    {
        ParameterKind.Series => i == 0 ? "x" : "y",
        ParameterKind.Window => "n",
        ParameterKind.Periods => "n",
        ParameterKind.Number => "q",
        _ => "?",
    })) + ")";
}
