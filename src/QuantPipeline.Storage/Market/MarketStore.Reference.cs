using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace QuantPipeline.Storage.Market;

/// <summary>
/// Reference data, point in time: symbol listings (with delistings), universe membership history and
/// corporate actions. Each write is a batch; a changed fact (a delisting date set later, a corrected
/// dividend) is a new version keyed like the old one, visible from its available_at on.
/// </summary>
public sealed partial class MarketStore
{
    public IngestResult AddSymbols(IEnumerable<SymbolListing> listings, DateTime? knownAt = null)
    {
        ArgumentNullException.ThrowIfNull(listings);
        var rows = listings.ToList();
        foreach (var l in rows.Where(l => l.DelistedOn < l.ListedOn))
        {
            throw new ArgumentException($"Symbol {l.Symbol}: delisted on {l.DelistedOn:yyyy-MM-dd}, before it was listed on {l.ListedOn:yyyy-MM-dd}.", nameof(listings));
        }

        return WriteReferenceBatch("symbols", rows.Select(l => $"{l.Symbol}|{l.Exchange}|{l.ListedOn:O}|{l.DelistedOn:O}"), knownAt, (seq, at) =>
        {
            using var appender = _connection.CreateAppender("symbols");
            foreach (var l in rows)
            {
                var r = appender.CreateRow().AppendValue(l.Symbol).AppendValue(l.Exchange).AppendValue(l.ListedOn);
                (l.DelistedOn is { } d ? r.AppendValue(d) : r.AppendNullValue()).AppendValue(at).AppendValue(seq).EndRow();
            }

            return rows.Count;
        });
    }

    public IngestResult AddUniverseMembers(string universe, IEnumerable<UniverseMember> members, DateTime? knownAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(universe);
        ArgumentNullException.ThrowIfNull(members);
        var rows = members.ToList();
        foreach (var m in rows.Where(m => m.To < m.From))
        {
            throw new ArgumentException($"Universe {universe}, symbol {m.Symbol}: membership ends {m.To:yyyy-MM-dd} before it starts {m.From:yyyy-MM-dd}.", nameof(members));
        }

        return WriteReferenceBatch("universe", rows.Select(m => $"{universe}|{m.Symbol}|{m.From:O}|{m.To:O}"), knownAt, (seq, at) =>
        {
            using var appender = _connection.CreateAppender("universe_membership");
            foreach (var m in rows)
            {
                var r = appender.CreateRow().AppendValue(universe).AppendValue(m.Symbol).AppendValue(m.From);
                (m.To is { } t ? r.AppendValue(t) : r.AppendNullValue()).AppendValue(at).AppendValue(seq).EndRow();
            }

            return rows.Count;
        });
    }

    public IngestResult AddCorporateActions(IEnumerable<CorporateAction> actions, DateTime? knownAt = null)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var rows = actions.ToList();
        foreach (var a in rows)
        {
            if (!(a.Value > 0) || !double.IsFinite(a.Value))
            {
                throw new ArgumentException($"{a.Kind} of {a.Symbol} on {a.ExDate:yyyy-MM-dd}: value {a.Value} must be a positive number (split ratio or cash per share).", nameof(actions));
            }

            if (a.AnnouncedOn > a.ExDate)
            {
                throw new ArgumentException($"{a.Kind} of {a.Symbol}: announced {a.AnnouncedOn:yyyy-MM-dd}, after its ex-date {a.ExDate:yyyy-MM-dd}.", nameof(actions));
            }
        }

        return WriteReferenceBatch("corporate_actions", rows.Select(a => $"{a.Symbol}|{a.Kind}|{a.ExDate:O}|{a.AnnouncedOn:O}|{a.Value.ToString("R", CultureInfo.InvariantCulture)}"), knownAt, (seq, at) =>
        {
            using var appender = _connection.CreateAppender("corporate_actions");
            foreach (var a in rows)
            {
                var r = appender.CreateRow().AppendValue(a.Symbol).AppendValue(a.Kind == CorporateActionKind.Split ? "split" : "dividend")
                    .AppendValue(a.ExDate).AppendValue(a.AnnouncedOn);
                r = a.Kind == CorporateActionKind.Split ? r.AppendValue(a.Value).AppendNullValue() : r.AppendNullValue().AppendValue(a.Value);
                r.AppendValue(at).AppendValue(seq).EndRow();
            }

            return rows.Count;
        });
    }

    /// <summary>The universe's members on <paramref name="date"/> as known at <paramref name="knownAt"/>: members that day and listed that day.</summary>
    public IReadOnlyList<string> UniverseAt(string universe, DateOnly date, DateTime? knownAt = null) =>
        UniverseSymbols(universe, date, date, knownAt ?? Latest);

    /// <summary>Corporate actions of a symbol visible at <paramref name="knownAt"/>, by ex-date.</summary>
    public IReadOnlyList<CorporateAction> CorporateActions(string symbol, DateTime? knownAt = null)
    {
        var list = new List<CorporateAction>();
        using var cmd = Command($"""
            SELECT symbol, kind, ex_date, announced_on, coalesce(split_ratio, cash_amount) FROM ({VisibleActions()}) WHERE symbol = $symbol ORDER BY ex_date, kind DESC
            """, ("symbol", symbol), ("known", Unspecified(knownAt ?? Latest)));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new CorporateAction(reader.GetString(0), reader.GetString(1) == "split" ? CorporateActionKind.Split : CorporateActionKind.Dividend,
                DateOnly.FromDateTime(reader.GetDateTime(2)), DateOnly.FromDateTime(reader.GetDateTime(3)), reader.GetDouble(4)));
        }

        return list;
    }

    private static DateTime Unspecified(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Unspecified);

    /// <summary>The latest version, as of $known, of each (symbol, kind, ex_date) action.</summary>
    private static string VisibleActions() => """
        SELECT * FROM corporate_actions WHERE available_at <= $known
        QUALIFY row_number() OVER (PARTITION BY symbol, kind, ex_date ORDER BY available_at DESC, batch_seq DESC) = 1
        """;

    /// <summary>Effective membership intervals of a universe as of $known: membership ∩ listing, latest versions only.</summary>
    private static string MembershipIntervals() => """
        WITH m AS (
            SELECT * FROM universe_membership WHERE universe = $universe AND available_at <= $known
            QUALIFY row_number() OVER (PARTITION BY universe, symbol, from_date ORDER BY available_at DESC, batch_seq DESC) = 1
        ), l AS (
            SELECT * FROM symbols WHERE available_at <= $known
            QUALIFY row_number() OVER (PARTITION BY symbol ORDER BY available_at DESC, batch_seq DESC) = 1
        )
        SELECT m.symbol,
               greatest(m.from_date, coalesce(l.listed_on, m.from_date)) AS first_day,
               least(coalesce(m.to_date, DATE '9999-12-31'), coalesce(l.delisted_on, DATE '9999-12-31')) AS last_day
        FROM m LEFT JOIN l ON l.symbol = m.symbol
        """;

    private IReadOnlyList<string> UniverseSymbols(string universe, DateOnly from, DateOnly to, DateTime knownAt)
    {
        var list = new List<string>();
        using var cmd = Command($"""
            SELECT DISTINCT symbol FROM ({MembershipIntervals()}) WHERE first_day <= $to AND last_day >= $from AND first_day <= last_day ORDER BY symbol
            """, ("universe", universe), ("known", Unspecified(knownAt)), ("from", from), ("to", to));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    private void FillMembership(Core.Panels.Panel panel, BarFrequency frequency, string universe, DateTime knownAt)
    {
        var intervals = new Dictionary<string, List<(DateOnly First, DateOnly Last)>>(StringComparer.Ordinal);
        using (var cmd = Command($"SELECT symbol, first_day, last_day FROM ({MembershipIntervals()})", ("universe", universe), ("known", Unspecified(knownAt))))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                var symbol = reader.GetString(0);
                if (!intervals.TryGetValue(symbol, out var list))
                {
                    intervals[symbol] = list = [];
                }

                list.Add((DateOnly.FromDateTime(reader.GetDateTime(1)), DateOnly.FromDateTime(reader.GetDateTime(2))));
            }
        }

        var n = panel.N;
        for (var t = 0; t < panel.T; t++)
        {
            var day = SessionDateOf(panel.Timestamps[t], frequency);
            for (var s = 0; s < n; s++)
            {
                panel.Membership[t * n + s] = intervals.TryGetValue(panel.Symbols[s], out var list) && list.Any(i => i.First <= day && day <= i.Last);
            }
        }
    }

    /// <summary>
    /// Back-adjusts the panel's prices and volumes for the actions announced and gone ex by <paramref name="adjustAsOf"/>
    /// (and known at <paramref name="knownAt"/>). For the actions of one ex-date e with split ratio r (product of the
    /// day's splits, 1 if none), cash dividend D per post-split share and raw close C on the last bar before e, every
    /// bar dated before e is multiplied by (1/r)(1 − rD/C) for prices and by r for volume — so the series shows the
    /// price path of one share held through e.
    /// </summary>
    private void ApplyCorporateActions(Core.Panels.Panel panel, BarFrequency frequency, IReadOnlyList<string> fields, DateOnly adjustAsOf, DateTime knownAt)
    {
        var events = new Dictionary<string, List<(DateOnly ExDate, double Price, double Volume)>>(StringComparer.Ordinal);
        using (var cmd = Command($"""
            WITH a AS ({VisibleActions()}),
            d AS (
                SELECT symbol, ex_date, exp(sum(ln(coalesce(split_ratio, 1)))) AS r, coalesce(sum(cash_amount), 0) AS cash
                FROM a WHERE announced_on <= $adjust AND ex_date <= $adjust AND symbol IN (SELECT unnest($symbols::VARCHAR[]))
                GROUP BY symbol, ex_date
            )
            SELECT d.symbol, d.ex_date, d.r, d.cash,
                   (SELECT b.close FROM daily_bars b WHERE b.symbol = d.symbol AND b.date < d.ex_date AND {Visible("b")} ORDER BY b.date DESC LIMIT 1) AS prev_close
            FROM d ORDER BY d.symbol, d.ex_date DESC
            """, ("known", Unspecified(knownAt)), ("adjust", adjustAsOf), ("symbols", panel.Symbols.ToArray())))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                var symbol = reader.GetString(0);
                var r = reader.GetDouble(2);
                var cash = reader.GetDouble(3);
                var hasClose = !reader.IsDBNull(4);
                if (cash > 0 && !hasClose)
                {
                    // No earlier bar: nothing before the ex-date to adjust.
                    continue;
                }

                var price = 1.0 / r * (cash > 0 ? 1.0 - r * cash / reader.GetDouble(4) : 1.0);
                if (!events.TryGetValue(symbol, out var list))
                {
                    events[symbol] = list = [];
                }

                list.Add((DateOnly.FromDateTime(reader.GetDateTime(1)), price, r));
            }
        }

        var n = panel.N;
        var priceFields = fields.Where(f => f != "volume").Select(panel.Field).ToArray();
        var volume = fields.Contains("volume") ? panel.Field("volume") : null;
        for (var s = 0; s < n; s++)
        {
            if (!events.TryGetValue(panel.Symbols[s], out var list))
            {
                continue;
            }

            // Walk back in time; list is ordered by ex-date descending.
            double priceFactor = 1, volumeFactor = 1;
            var next = 0;
            for (var t = panel.T - 1; t >= 0; t--)
            {
                var day = SessionDateOf(panel.Timestamps[t], frequency);
                while (next < list.Count && list[next].ExDate > day)
                {
                    priceFactor *= list[next].Price;
                    volumeFactor *= list[next].Volume;
                    next++;
                }

                var cell = t * n + s;
                foreach (var field in priceFields)
                {
                    field[cell] = (float)(field[cell] * priceFactor);
                }

                if (volume is not null)
                {
                    volume[cell] = (float)(volume[cell] * volumeFactor);
                }
            }
        }
    }

    private IngestResult WriteReferenceBatch(string kind, IEnumerable<string> canonicalRows, DateTime? knownAt, Func<long, DateTime, long> write)
    {
        EnsureWritable();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var row in canonicalRows)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(row + "\n"));
        }

        var contentHash = Convert.ToHexStringLower(hash.GetHashAndReset());
        var ingestedAt = TruncateToMicroseconds(DateTime.UtcNow);
        var at = Unspecified(knownAt is { } k ? TruncateToMicroseconds(k.ToUniversalTime()) : ingestedAt);
        return InTransaction(() =>
        {
            var seq = ToLong(Scalar("SELECT coalesce(max(batch_seq), 0) + 1 FROM ingest_batches"));
            var batchId = string.Create(CultureInfo.InvariantCulture, $"B{seq:D6}-{contentHash[..12]}");
            var count = write(seq, at);
            Execute(
                "INSERT INTO ingest_batches VALUES ($seq, $id, $kind, $source, $hash, 'reject', $at, $n, $n, 0)",
                ("seq", seq), ("id", batchId), ("kind", kind), ("source", "api"), ("hash", contentHash), ("at", Unspecified(ingestedAt)), ("n", count));
            return new IngestResult(batchId, seq, "api", contentHash, ingestedAt, count, count, 0);
        });
    }
}
