using QuantPipeline.Core.Features.Expressions;

namespace QuantPipeline.Core.Features.Library;

/// <summary>
/// The intraday F8 set of the W1 benchmark as expressions (close c, volume v, window 30). Being expressions, the
/// windows follow the language's convention (min_periods = 1) rather than pandas' rolling default.
/// </summary>
public static class IntradayF8Set
{
    public const string Name = "f8";

    public static FeatureSet Create() => new(Name, Definitions(), "Intraday F8: returns, rolling mean/std/z-scores, EWMA, extremes, cross-sectional rank, RSI.");

    public static IReadOnlyList<FeatureDefinition> Definitions() =>
    [
        new("RET1", "$close/Ref($close, 1)-1"),
        new("MA30", "Mean($close, 30)/$close-1"),
        new("RETSTD30", "Std($close/Ref($close, 1)-1, 30)"),
        new("CLOSEZ30", "($close-Mean($close, 30))/Std($close, 30)"),
        new("RETEWM20", "EMAHL($close/Ref($close, 1)-1, 20)"),
        new("MAX30", "Max($close, 30)/$close"),
        new("MIN30", "Min($close, 30)/$close"),
        new("VOLZ30", "($volume-Mean($volume, 30))/Std($volume, 30)"),
        new("RET30RANK", "CsRank($close/Ref($close, 30)-1)"),
        new("RSI14", "RSI($close, 14)"),
    ];
}
