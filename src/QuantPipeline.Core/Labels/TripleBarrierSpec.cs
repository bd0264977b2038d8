namespace QuantPipeline.Core.Labels;

/// <summary>
/// Barriers at entry × (1 + <see cref="ProfitTake"/>·σ) and entry × (1 − <see cref="StopLoss"/>·σ), where σ is the
/// sample standard deviation (ddof = 1) of 1-bar simple returns over the <see cref="VolatilityWindow"/> bars ending at
/// entry; the vertical barrier closes the position after <see cref="Horizon"/> bars. Use +∞ to switch a side off.
/// </summary>
public sealed record TripleBarrierSpec(int Horizon, double ProfitTake = 1.0, double StopLoss = 1.0, int VolatilityWindow = 20)
{
    public void Validate()
    {
        if (Horizon < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Horizon), Horizon, "The vertical barrier must be at least 1 bar after entry.");
        }

        if (!(ProfitTake > 0) || !(StopLoss > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(ProfitTake), $"BarrierHit multiples must be > 0 (got profit-take {ProfitTake}, stop-loss {StopLoss}); use +∞ to switch one off.");
        }

        if (VolatilityWindow < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(VolatilityWindow), VolatilityWindow, "The volatility window needs at least 2 returns.");
        }
    }
}
