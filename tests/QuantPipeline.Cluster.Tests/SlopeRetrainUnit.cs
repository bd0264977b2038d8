using QuantPipeline.Cluster.Backfill;
using QuantPipeline.Cluster.Units;

namespace QuantPipeline.Cluster.Tests;

/// <summary>
/// A retrain small enough for unit tests: the least-squares slope of a fixed log-price path up to the as-of date
/// (plain float64 sums), reported as the "Sharpe" of the outcome. It stops before registering, so dates run in parallel
/// and the coordinator numbers versions in date order. <see cref="Delay"/> keeps units in flight long enough to kill a silo under them.
/// </summary>
public sealed class SlopeRetrainUnit : IRetrainUnit
{
    public static TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public bool RegistersOnSilo => false;

    public static double Slope(DateOnly asOf)
    {
        var n = asOf.DayNumber - new DateOnly(2020, 1, 1).DayNumber + 1;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            var y = (0.0003 * i) + (0.01 * Math.Sin(i * 0.7));
            sx += i;
            sy += y;
            sxx += (double)i * i;
            sxy += i * y;
        }

        return ((n * sxy) - (sx * sy)) / ((n * sxx) - (sx * sx));
    }

    public RetrainOutcome Run(RetrainPayload payload, UnitContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Thread.Sleep(Delay);
        return new RetrainOutcome(payload.AsOf, "slope", 0, Slope(payload.AsOf), 0, true, $"run-{payload.AsOf:yyyyMMdd}");
    }
}
