using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>
/// Retries work that failed for a passing reason (a database or file locked by another process) with exponential
/// backoff: the n-th retry waits base × 2^(n−1). Anything else fails at once.
/// </summary>
public sealed class TransientRetry(int attempts, TimeSpan baseDelay)
{
    public int Attempts { get; } = attempts >= 1 ? attempts : throw new ArgumentOutOfRangeException(nameof(attempts), attempts, "At least one attempt is needed.");

    public TimeSpan BaseDelay { get; } = baseDelay;

    public static TransientRetry None { get; } = new(1, TimeSpan.Zero);

    /// <summary>The delay before retry <paramref name="retry"/> (1-based).</summary>
    public TimeSpan Delay(int retry) => TimeSpan.FromTicks(BaseDelay.Ticks * (1L << Math.Min(retry - 1, 30)));

    /// <param name="onRetry">Told of each transient failure that will be retried: attempt number (1-based), the error and the wait.</param>
    public T Run<T>(Func<T> work, CancellationToken cancellationToken = default, Action<int, Exception, TimeSpan>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return work();
            }
            catch (Exception e) when (attempt < Attempts && IsTransient(e))
            {
                var wait = Delay(attempt);
                onRetry?.Invoke(attempt, e, wait);
                if (cancellationToken.WaitHandle.WaitOne(wait))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
    }

    /// <summary>True for a lock held by someone else: SQLite busy/locked, DuckDB's file lock, a file opened without sharing.</summary>
    public static bool IsTransient(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite when sqlite.SqliteErrorCode is 5 or 6:
                    return true;
                case DuckDBException duck when duck.Message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase)
                                               || duck.Message.Contains("Conflicting lock", StringComparison.OrdinalIgnoreCase):
                    return true;
                case IOException io when io.GetType() == typeof(IOException) && IsSharingViolation(io):
                    return true;
            }
        }

        return false;
    }

    // Windows reports ERROR_SHARING_VIOLATION (32) / ERROR_LOCK_VIOLATION (33) in the low word; on Unix .NET maps a
    // refused flock to the same sharing-violation message.
    private static bool IsSharingViolation(IOException io) =>
        (io.HResult & 0xFFFF) is 32 or 33
        || io.Message.Contains("being used by another process", StringComparison.OrdinalIgnoreCase);
}
