namespace QuantPipeline.Storage.Market;

/// <summary>
/// The market store's schema as an ordered list of forward migrations. A store records the version it
/// has reached in <c>schema_version</c>; opening it read-write applies the missing steps in one
/// transaction each. Migrations are never edited once released: a change is a new step.
/// </summary>
internal static class StoreSchema
{
    public static int CurrentVersion => Migrations.Count;

    /// <summary>Step i (1-based) brings a store from version i − 1 to version i.</summary>
    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: the original layout, one row per (symbol, date), overwritten in place.
        """
        CREATE TABLE IF NOT EXISTS daily_bars (
            symbol VARCHAR NOT NULL,
            date DATE NOT NULL,
            open DOUBLE NOT NULL,
            high DOUBLE NOT NULL,
            low DOUBLE NOT NULL,
            close DOUBLE NOT NULL,
            volume DOUBLE NOT NULL,
            ingested_at TIMESTAMP NOT NULL,
            PRIMARY KEY (symbol, date)
        );
        """,
        // 2: point in time. Every fact carries available_at (when it became known) and the batch that
        // brought it; corrections are new rows, never updates. Bars lose their primary key so that
        // versions of one (symbol, date) can coexist; ingest validation enforces uniqueness per batch.
        // superseded_at (the available_at of the next version, kept up to date by ingest) turns
        // "latest version known at K" into a plain filter instead of a window over every read.
        """
        CREATE TABLE ingest_batches (
            batch_seq BIGINT PRIMARY KEY,
            batch_id VARCHAR NOT NULL UNIQUE,
            kind VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            content_sha256 VARCHAR NOT NULL,
            policy VARCHAR NOT NULL,
            ingested_at TIMESTAMP NOT NULL,
            rows_read BIGINT NOT NULL,
            rows_stored BIGINT NOT NULL,
            rows_quarantined BIGINT NOT NULL
        );
        ALTER TABLE daily_bars RENAME TO daily_bars_v1;
        CREATE TABLE daily_bars (
            symbol VARCHAR NOT NULL,
            date DATE NOT NULL,
            open DOUBLE NOT NULL,
            high DOUBLE NOT NULL,
            low DOUBLE NOT NULL,
            close DOUBLE NOT NULL,
            volume DOUBLE NOT NULL,
            vwap DOUBLE,
            available_at TIMESTAMP NOT NULL,
            batch_seq BIGINT NOT NULL,
            superseded_at TIMESTAMP
        );
        CREATE TABLE intraday_bars (
            symbol VARCHAR NOT NULL,
            ts TIMESTAMP NOT NULL,
            open DOUBLE NOT NULL,
            high DOUBLE NOT NULL,
            low DOUBLE NOT NULL,
            close DOUBLE NOT NULL,
            volume DOUBLE NOT NULL,
            vwap DOUBLE,
            available_at TIMESTAMP NOT NULL,
            batch_seq BIGINT NOT NULL,
            superseded_at TIMESTAMP
        );
        CREATE TABLE symbols (
            symbol VARCHAR NOT NULL,
            exchange VARCHAR NOT NULL,
            listed_on DATE NOT NULL,
            delisted_on DATE,
            available_at TIMESTAMP NOT NULL,
            batch_seq BIGINT NOT NULL
        );
        CREATE TABLE corporate_actions (
            symbol VARCHAR NOT NULL,
            kind VARCHAR NOT NULL CHECK (kind IN ('split', 'dividend')),
            ex_date DATE NOT NULL,
            announced_on DATE NOT NULL,
            split_ratio DOUBLE,
            cash_amount DOUBLE,
            available_at TIMESTAMP NOT NULL,
            batch_seq BIGINT NOT NULL
        );
        CREATE TABLE universe_membership (
            universe VARCHAR NOT NULL,
            symbol VARCHAR NOT NULL,
            from_date DATE NOT NULL,
            to_date DATE,
            available_at TIMESTAMP NOT NULL,
            batch_seq BIGINT NOT NULL
        );
        CREATE TABLE quarantine (
            batch_seq BIGINT NOT NULL,
            source VARCHAR NOT NULL,
            row_number BIGINT NOT NULL,
            symbol VARCHAR,
            rule VARCHAR NOT NULL,
            message VARCHAR NOT NULL,
            raw_row VARCHAR NOT NULL
        );
        CREATE TABLE snapshots (
            snapshot_id VARCHAR PRIMARY KEY,
            created_at TIMESTAMP NOT NULL,
            definition VARCHAR NOT NULL
        );
        INSERT INTO ingest_batches
            SELECT 0, 'legacy-v1', 'bars', 'daily_bars (schema 1)', '', 'reject', coalesce(min(ingested_at), TIMESTAMP '1970-01-01'), count(*), count(*), 0
            FROM daily_bars_v1 HAVING count(*) > 0;
        INSERT INTO daily_bars
            SELECT symbol, date, open, high, low, close, volume, NULL, ingested_at, 0, NULL FROM daily_bars_v1;
        DROP TABLE daily_bars_v1;
        """,
        // 3: partial bar files. Only close is required; an open, high, low or volume the source lacks is NULL (NaN in panels).
        """
        ALTER TABLE daily_bars ALTER COLUMN open DROP NOT NULL;
        ALTER TABLE daily_bars ALTER COLUMN high DROP NOT NULL;
        ALTER TABLE daily_bars ALTER COLUMN low DROP NOT NULL;
        ALTER TABLE daily_bars ALTER COLUMN volume DROP NOT NULL;
        ALTER TABLE intraday_bars ALTER COLUMN open DROP NOT NULL;
        ALTER TABLE intraday_bars ALTER COLUMN high DROP NOT NULL;
        ALTER TABLE intraday_bars ALTER COLUMN low DROP NOT NULL;
        ALTER TABLE intraday_bars ALTER COLUMN volume DROP NOT NULL;
        """,
    ];
}
