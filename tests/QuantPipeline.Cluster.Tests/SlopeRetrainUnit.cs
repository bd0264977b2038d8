using QuantPipeline.Cluster.Backfill;
using QuantPipeline.Cluster.Units;

namespace QuantPipeline.Cluster.Tests;

/// <summary>
/// A retrain small enough for unit tests: the least-squares slope of a fixed log-price path up to the as-of date
/// (plain float64 sums), reported as the "Sharpe" of the outcome. It stops before registering, so dates run in parallel
/// and the coordinator numbers versions in date order. While <see cref="Hold"/> is set, a unit records its key in
/// <see cref="Started"/> and then blocks until the hold is released, so a test can kill a silo exactly while it holds a
/// unit (the cluster tests run one at a time, so these statics have one user).
/// </summary>
public sealed class SlopeRetrainUnit : IRetrainUnit
{
    public static ManualResetEventSlim? Hold { get; set; }

    public static System.Collections.Concurrent.ConcurrentDictionary<string, bool> Started { get; } = new();

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
        ArgumentNullException.ThrowIfNull(context);
        var hold = Hold;
        if (hold is not null)
        {
            Started[context.Key] = true;
            hold.Wait(cancellationToken);
        }

        return new RetrainOutcome(payload.AsOf, "slope", 0, Slope(payload.AsOf), 0, true, $"run-{payload.AsOf:yyyyMMdd}");
    }
}
