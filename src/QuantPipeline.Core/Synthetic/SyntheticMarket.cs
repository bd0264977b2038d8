using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Data;

namespace QuantPipeline.Core.Synthetic;

/// <summary>
/// A seeded synthetic equity market on an exchange calendar, streamed bar by bar so that any size fits in
/// memory: a market factor with per-symbol betas; GARCH(1,1) idiosyncratic volatility with Student-t (5 d.o.f.)
/// shocks (fat tails, volatility clustering); daily or one-minute bars, the latter with U-shaped intraday
/// volume and volatility; listings and delistings; 2:1 splits and quarterly cash dividends announced ahead of
/// their ex-dates and reflected in the raw prices on the ex-date.
/// </summary>
/// <remarks>
/// Bars come session by session and, within a session, symbol by symbol in time order, so each symbol's
/// timestamps increase. <see cref="Actions"/> fills in as the walk reaches each announcement; it is complete
/// once <see cref="Bars"/> has been enumerated to the end.
/// </remarks>
public sealed class SyntheticMarket
{
    private const int DividendEverySessions = 63;
    private const int AnnouncementLeadSessions = 15;
    private const double SplitAbovePrice = 250;
    private const int ReversalLookback = 5;

    private readonly SyntheticMarketSpec _spec;
    private readonly IExchangeCalendar _calendar;
    private readonly IReadOnlyList<DateOnly> _sessions;
    private readonly List<SyntheticCorporateAction> _actions = [];

    public SyntheticMarket(SyntheticMarketSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Symbols < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), "At least one symbol is needed.");
        }

        if (spec.ReversalStrength != 0 && spec.Frequency != SyntheticFrequency.Daily)
        {
            throw new ArgumentException($"ReversalStrength {spec.ReversalStrength} applies to daily bars only; use Frequency = Daily or set it to 0.", nameof(spec));
        }

        _spec = spec;
        _calendar = ExchangeCalendars.Get(spec.Calendar);
        _sessions = _calendar.Sessions(spec.From, spec.To);
        if (_sessions.Count == 0)
        {
            throw new ArgumentException($"No {_calendar.Name} sessions between {spec.From:yyyy-MM-dd} and {spec.To:yyyy-MM-dd}.", nameof(spec));
        }

        Symbols = SyntheticDailyMarket.SymbolNames(spec.Symbols);
        Listings = MakeListings();
    }

    public SyntheticMarketSpec Spec => _spec;

    public IReadOnlyList<string> Symbols { get; }

    public IReadOnlyList<SyntheticListing> Listings { get; }

    public IReadOnlyList<DateOnly> Sessions => _sessions;

    public IExchangeCalendar Calendar => _calendar;

    /// <summary>Corporate actions announced so far in the walk (all of them after <see cref="Bars"/> completes).</summary>
    public IReadOnlyList<SyntheticCorporateAction> Actions => _actions;

    /// <summary>The intraday U-shape: relative weight of each of <paramref name="minutes"/> minutes, summing to 1.</summary>
    public static double[] IntradayProfile(int minutes)
    {
        var weights = new double[minutes];
        double sum = 0;
        for (var m = 0; m < minutes; m++)
        {
            var x = (m + 0.5) / minutes;
            // High at the open, low at midday, rising into the close.
            weights[m] = 1 + 3.0 * Math.Exp(-x / 0.05) + 2.0 * Math.Exp(-(1 - x) / 0.06);
            sum += weights[m];
        }

        for (var m = 0; m < minutes; m++)
        {
            weights[m] /= sum;
        }

        return weights;
    }

    public IEnumerable<Bar> Bars()
    {
        _actions.Clear();
        var rng = new Random(_spec.Seed);
        var n = Symbols.Count;
        var beta = new double[n];
        var close = new double[n];
        var variance = new double[n];
        var baseVolume = new double[n];
        var nextDividend = new int[n];
        for (var j = 0; j < n; j++)
        {
            beta[j] = 0.6 + 0.8 * rng.NextDouble();
            close[j] = 20 + 180 * rng.NextDouble();
            variance[j] = Math.Pow(0.015 + 0.01 * rng.NextDouble(), 2);
            baseVolume[j] = 2e5 + 3e6 * rng.NextDouble();
            nextDividend[j] = rng.Next(DividendEverySessions);
        }

        var listed = Listings.ToArray();
        var pendingSplit = new int[n];
        var pendingDividend = new double[n];
        Array.Fill(pendingSplit, -1);
        var pendingDividendAt = new int[n];
        Array.Fill(pendingDividendAt, -1);
        var paysDividends = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.6).ToArray();
        double[]? profile = null;
        var marketMinute = Array.Empty<double>();
        var reversal = _spec.ReversalStrength != 0;
        // The last five sessions' returns per symbol (a ring buffer), for the optional reversal.
        var recent = reversal ? new double[ReversalLookback, n] : new double[0, 0];
        var pastFive = new double[reversal ? n : 0];
        for (var t = 0; t < _sessions.Count; t++)
        {
            var session = _sessions[t];
            var market = 0.0002 + 0.009 * RandomDraws.StudentT(rng, 5);
            var meanPast = 0.0;
            if (reversal)
            {
                var listedCount = 0;
                for (var j = 0; j < n; j++)
                {
                    if (IsListed(listed[j], session))
                    {
                        meanPast += pastFive[j];
                        listedCount++;
                    }
                }

                meanPast = listedCount > 0 ? meanPast / listedCount : 0;
            }
            IReadOnlyList<DateTime>? minutes = null;
            if (_spec.Frequency == SyntheticFrequency.Minute)
            {
                minutes = _calendar.SessionMinutes(session);
                if (profile is null || profile.Length != minutes.Count)
                {
                    profile = IntradayProfile(minutes.Count);
                    marketMinute = new double[minutes.Count];
                }

                // The day's market return spread over the minutes with U-shaped variance.
                for (var m = 0; m < minutes.Count; m++)
                {
                    marketMinute[m] = market * profile[m] + 0.009 * Math.Sqrt(profile[m]) * RandomDraws.Normal(rng) * 0.3;
                }
            }

            for (var j = 0; j < n; j++)
            {
                var shock = RandomDraws.StudentT(rng, 5);
                var idio = Math.Sqrt(variance[j]) * shock;
                var drift = beta[j] * market + idio;
                if (reversal && IsListed(listed[j], session))
                {
                    drift += -_spec.ReversalStrength * (pastFive[j] - meanPast);
                }

                var dayReturn = Math.Clamp(drift, -0.5, 0.5);
                variance[j] = 0.000004 + 0.08 * idio * idio + 0.91 * variance[j];
                var dayVolume = baseVolume[j] * Math.Exp(0.3 * RandomDraws.Normal(rng)) * (1 + 20 * Math.Abs(dayReturn));
                var noise = rng.Next();
                if (!IsListed(listed[j], session))
                {
                    continue;
                }

                if (reversal)
                {
                    var slot = t % ReversalLookback;
                    pastFive[j] += dayReturn - recent[slot, j];
                    recent[slot, j] = dayReturn;
                }

                // Corporate actions take effect at the open of their ex-date: raw prices drop by the split
                // ratio and by the dividend paid.
                var previous = close[j];
                var open0 = previous;
                if (pendingSplit[j] == t)
                {
                    open0 /= 2;
                    pendingSplit[j] = -1;
                    dayVolume *= 2;
                    baseVolume[j] *= 2;
                }

                if (pendingDividendAt[j] == t)
                {
                    open0 -= pendingDividend[j];
                    pendingDividendAt[j] = -1;
                }

                var next = open0 * (1 + dayReturn);
                if (_spec.CorporateActions)
                {
                    Announce(j, t, next, paysDividends, nextDividend, pendingSplit, pendingDividend, pendingDividendAt, listed[j]);
                }

                if (minutes is null)
                {
                    var open = open0 * (1 + 0.3 * dayReturn + 0.002 * RandomDraws.Normal(rng));
                    var high = Math.Max(open, next) * (1 + Math.Abs(0.006 * RandomDraws.Normal(rng)));
                    var low = Math.Min(open, next) * (1 - Math.Abs(0.006 * RandomDraws.Normal(rng)));
                    close[j] = next;
                    yield return new Bar(Symbols[j], session.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), Round(open), Round(high), Round(low), Round(next), Math.Round(dayVolume));
                    continue;
                }

                var minuteRng = new Random(noise);
                var price = open0;
                var idioMinuteScale = Math.Sqrt(variance[j]);
                for (var m = 0; m < minutes.Count; m++)
                {
                    var r = beta[j] * marketMinute[m] + idioMinuteScale * Math.Sqrt(profile![m]) * RandomDraws.Normal(minuteRng);
                    var o = price;
                    var c = o * (1 + Math.Clamp(r, -0.2, 0.2));
                    var h = Math.Max(o, c) * (1 + Math.Abs(0.0005 * RandomDraws.Normal(minuteRng)));
                    var l = Math.Min(o, c) * (1 - Math.Abs(0.0005 * RandomDraws.Normal(minuteRng)));
                    var v = Math.Round(dayVolume * profile[m] * Math.Exp(0.25 * RandomDraws.Normal(minuteRng)));
                    price = c;
                    yield return new Bar(Symbols[j], minutes[m], Round(o), Round(h), Round(l), Round(c), v);
                }

                close[j] = price;
            }
        }
    }

    private void Announce(int j, int t, double price, bool[] paysDividends, int[] nextDividend, int[] pendingSplit, double[] pendingDividend, int[] pendingDividendAt, SyntheticListing listing)
    {
        var exIndex = t + AnnouncementLeadSessions;
        if (exIndex >= _sessions.Count || (listing.DelistedOn is { } d && _sessions[exIndex] > d))
        {
            return;
        }

        if (price > SplitAbovePrice && pendingSplit[j] < 0)
        {
            pendingSplit[j] = exIndex;
            _actions.Add(new SyntheticCorporateAction(Symbols[j], true, _sessions[exIndex], _sessions[t], 2));
        }

        if (paysDividends[j] && t == nextDividend[j] && pendingDividendAt[j] < 0 && pendingSplit[j] != exIndex)
        {
            // A quarterly dividend of about 0.5 % of the price at announcement, in cents.
            var cash = Math.Max(0.01, Math.Round(price * 0.005, 2));
            pendingDividend[j] = cash;
            pendingDividendAt[j] = exIndex;
            _actions.Add(new SyntheticCorporateAction(Symbols[j], false, _sessions[exIndex], _sessions[t], cash));
        }

        if (t >= nextDividend[j])
        {
            nextDividend[j] = t + DividendEverySessions;
        }
    }

    private List<SyntheticListing> MakeListings()
    {
        var rng = new Random(unchecked(_spec.Seed * 7919 + 17));
        var list = new List<SyntheticListing>(Symbols.Count);
        var count = _sessions.Count;
        foreach (var symbol in Symbols)
        {
            var listed = _sessions[0];
            DateOnly? delisted = null;
            if (count > 20 && rng.NextDouble() < _spec.ListingChurn)
            {
                if (rng.NextDouble() < 0.5)
                {
                    listed = _sessions[rng.Next(1, count - 10)];
                }
                else
                {
                    delisted = _sessions[rng.Next(10, count - 1)];
                }
            }

            list.Add(new SyntheticListing(symbol, listed, delisted));
        }

        return list;
    }

    private static bool IsListed(SyntheticListing listing, DateOnly session) =>
        session >= listing.ListedOn && (listing.DelistedOn is not { } d || session <= d);

    private static double Round(double price) => Math.Round(price, 4);
}
