using ErrorTracking.Testing;
using ErrorTracking.Storage.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ErrorTracking.Storage.Tests;

/// <summary>
/// An SQLite file locked by another process (a backup, a second application holding a write transaction) while
/// the application fails again and again: the writer's calls give up at their deadline, what is recorded waits in
/// memory merged by failure instead of overflowing the queue, and everything is stored once the lock goes.
/// </summary>
[NonParallelizable]
public sealed class SqliteLockTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "errortracker-lock", Guid.NewGuid().ToString("N"));

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder);

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task A_file_locked_by_another_process_loses_nothing_of_what_is_recorded_meanwhile()
    {
        var connectionString = $"Data Source={Path.Combine(_folder, "locked.db")}";
        var store = SqlErrorStore.ForSqlite(connectionString);
        await store.MigrateAsync(CancellationToken.None);
        using (ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.QueueCapacity = 100;
            o.StoreTimeout = TimeSpan.FromMilliseconds(200);
            o.Fingerprint = e => e.Message;
        }))
        {
            var locked = await WriterProcess.LockAsync(connectionString);
            try
            {
                // Twenty times the queue's capacity, in steps it can hold, while the other process keeps the lock.
                for (var step = 0; step < 20; step++)
                {
                    for (var i = 0; i < 100; i++)
                    {
                        ErrorTracker.CaptureMessage($"failure {i % 7}");
                    }

                    await Eventually.HoldsAsync(() => ErrorTracker.Statistics!.QueueLength == 0, "the writer drains the queue into its buffer while the file is locked");
                }

                var during = ErrorTracker.Statistics!;
                (during.Dropped, during.Stored).Should().Be((0L, 0L));
                during.Buffered.Should().Be(2_000);
                during.StoreFailures.Should().BeGreaterThan(0);
            }
            finally
            {
                await locked.DisposeAsync();
            }

            (await ErrorTracker.FlushAsync(TimeSpan.FromMinutes(1))).Should().BeTrue("the lock is gone and everything that waited is stored");
            var groups = (await store.ListAsync(new ErrorQuery { PageSize = 100 }, CancellationToken.None)).Items;
            groups.Should().HaveCount(7);
            groups.Sum(g => g.Count).Should().Be(2_000);
            var after = ErrorTracker.Statistics!;
            (after.Recorded, after.Stored, after.Buffered, after.Dropped, after.Lost).Should().Be((2_000L, 2_000L, 0L, 0L, 0L));
        }
    }
}
