using System.Diagnostics;
using Microsoft.Data.Sqlite;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Orchestrator.Tests.Runs;

public sealed class RetryAndStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-retry-").FullName;

    [Fact]
    public void A_file_held_without_sharing_is_retried_with_doubling_delays_until_it_is_released()
    {
        var path = Path.Combine(_dir, "held.bin");
        var holder = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        var delays = new List<TimeSpan>();
        var retry = new TransientRetry(10, TimeSpan.FromMilliseconds(40));

        var length = retry.Run(() =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return stream.Length;
        }, onRetry: (_, e, d) =>
        {
            Assert.IsType<IOException>(e);
            delays.Add(d);

            // The holder lets go during the third wait, whatever the machine's speed: the fourth attempt succeeds.
            if (delays.Count == 3)
            {
                holder.Dispose();
            }
        });

        Assert.Equal(0, length);
        Assert.Equal([TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(160)], delays);
    }

    [Fact]
    public void A_busy_sqlite_database_is_retried_until_the_other_connection_commits()
    {
        var db = Path.Combine(_dir, "busy.db");
        using (var setup = Open(db))
        {
            Execute(setup, "CREATE TABLE t (x INTEGER)");
        }

        var writer = Open(db);
        var transaction = writer.BeginTransaction(deferred: false);
        Execute(writer, "INSERT INTO t VALUES (1)", transaction);
        // Microsoft.Data.Sqlite waits out SQLITE_BUSY for the command timeout (1 s here) before it reports it; the lock
        // is held until that first attempt has failed, then released, so exactly one retry succeeds.
        var errors = new List<int>();

        var rows = new TransientRetry(10, TimeSpan.FromMilliseconds(100)).Run(() =>
        {
            using var other = Open(db);
            return Execute(other, "INSERT INTO t VALUES (2)");
        }, onRetry: (_, e, _) =>
        {
            errors.Add(((SqliteException)e).SqliteErrorCode);
            if (errors.Count == 1)
            {
                transaction.Commit();
                writer.Dispose();
            }
        });

        Assert.Equal(1, rows);
        Assert.Equal([5], errors); // SQLITE_BUSY, once
    }

    [Fact]
    public void Permanent_errors_fail_at_once_and_a_lock_never_released_fails_after_the_configured_attempts()
    {
        var attempts = 0;
        Assert.Throws<FileNotFoundException>(() => new TransientRetry(5, TimeSpan.FromMilliseconds(10)).Run<int>(() =>
        {
            attempts++;
            throw new FileNotFoundException("missing", "x");
        }));
        Assert.Equal(1, attempts);

        var path = Path.Combine(_dir, "held-forever.bin");
        using var holder = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        attempts = 0;
        Assert.Throws<IOException>(() => new TransientRetry(3, TimeSpan.FromMilliseconds(5)).Run(() =>
        {
            attempts++;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return 0;
        }));
        Assert.Equal(3, attempts);
    }

    [Fact]
    public void Stage_outputs_publish_atomically_verify_on_reuse_and_abandoned_temporaries_are_removed()
    {
        var store = new StageOutputStore(_dir);
        var key = new string('a', 64);
        Assert.Throws<InvalidOperationException>(() => store.Save("train", key, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "half.bin"), "half");
            throw new InvalidOperationException("killed mid-write");
        }));
        Assert.False(store.TryOpen("train", key, out _, out _));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(store.Root, "train")));

        var (saved, hash) = store.Save("train", key, dir => File.WriteAllText(Path.Combine(dir, "model.bin"), "weights"));
        Assert.True(store.TryOpen("train", key, out var opened, out var reopenedHash));
        Assert.Equal(saved, opened);
        Assert.Equal(hash, reopenedHash);

        File.WriteAllText(Path.Combine(saved, "model.bin"), "tampered");
        Assert.False(store.TryOpen("train", key, out _, out _));
        Assert.False(Directory.Exists(saved));

        // A temporary folder of a process that has exited (a killed run) goes; one of a live process stays.
        using var exited = Process.Start(new ProcessStartInfo("true"))!;
        exited.WaitForExit();
        var dead = Directory.CreateDirectory(Path.Combine(store.Root, "train", $".tmp-{exited.Id}-0123")).FullName;
        var live = Directory.CreateDirectory(Path.Combine(store.Root, "train", $".tmp-{Environment.ProcessId}-4567")).FullName;
        Assert.Equal(1, store.RemoveAbandoned());
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(live));
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 1, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=0");
        return connection;
    }

    private static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
