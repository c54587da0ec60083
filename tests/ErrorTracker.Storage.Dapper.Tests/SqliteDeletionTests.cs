using System.Text;
using ErrorTracking.Storage.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.Storage.Tests;

/// <summary>
/// What is deleted is gone from the SQLite file and from its write-ahead log, not only from the tables: the
/// connections stay open in the pool, as in a running application, so the log is not removed on close.
/// </summary>
public sealed class SqliteDeletionTests
{
    private TemporaryDirectory _folder = null!;
    private string _file = null!;
    private string _canary = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = new TemporaryDirectory();
        _file = _folder.File("deleted.db");
        _canary = "Canary-" + Guid.NewGuid().ToString("N");
    }

    [TearDown]
    public void RemoveFolder()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Test]
    public async Task A_deleted_group_leaves_no_copy_in_the_file_or_its_log()
    {
        var store = SqlErrorStore.ForSqlite($"Data Source={_file}");
        await SaveCanariesAsync(store, firstWithCanary: true);
        (await RawTextAsync()).Contains(_canary, StringComparison.Ordinal).Should().BeTrue("the test can see the canary where it is stored");

        (await store.DeleteAsync(HashOf("canary"), CancellationToken.None)).Should().BeTrue();

        (await RawTextAsync()).Contains(_canary, StringComparison.Ordinal).Should().BeFalse("no copy of a deleted value stays in the file or its log");
        (await store.GetAsync(HashOf("kept"), CancellationToken.None)).Should().NotBeNull("other groups stay");
    }

    [Test]
    public async Task Occurrences_dropped_by_retention_leave_no_copy_in_the_file_or_its_log()
    {
        var clock = new FakeTimeProvider(Epoch.AddDays(45));
        var store = new SqlErrorStore(new SqliteDialect(), () => new SqliteConnection($"Data Source={_file}"),
            new SqlStoreOptions { OccurrenceRetention = TimeSpan.FromDays(30) }, clock);
        await SaveCanariesAsync(store, firstWithCanary: false);
        (await RawTextAsync()).Contains(_canary, StringComparison.Ordinal).Should().BeTrue("the test can see the canary where it is stored");

        (await store.SweepAsync(CancellationToken.None)).Occurrences.Should().Be(9, "all but the group's first are past 30 days");

        (await RawTextAsync()).Contains(_canary, StringComparison.Ordinal).Should().BeFalse("no copy of a deleted value stays in the file or its log");
    }

    [Test]
    public async Task A_reader_holding_an_old_snapshot_does_not_fail_the_delete()
    {
        var store = SqlErrorStore.ForSqlite($"Data Source={_file}");
        await SaveCanariesAsync(store, firstWithCanary: true);
        await using var reader = new SqliteConnection($"Data Source={_file};Pooling=False");
        await reader.OpenAsync();
        // Deferred: a read transaction, holding its snapshot of the log, not the write lock.
        await using var snapshot = reader.BeginTransaction(deferred: true);
        await using (var read = reader.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM errortracker_occurrences";
            read.Transaction = snapshot;
            (await read.ExecuteScalarAsync()).Should().Be(11L);
        }

        (await store.DeleteAsync(HashOf("canary"), CancellationToken.None)).Should().BeTrue("the log cannot be emptied now, and the delete stands");
        (await store.GetAsync(HashOf("canary"), CancellationToken.None)).Should().BeNull();

        await snapshot.RollbackAsync();
        await reader.CloseAsync();
        (await store.DeleteAsync(HashOf("kept"), CancellationToken.None)).Should().BeTrue();
        (await RawTextAsync()).Contains(_canary, StringComparison.Ordinal).Should().BeFalse("the next delete, with no reader left, empties the log");
    }

    /// <summary>Ten occurrences of one group carrying the canary, days old, and one other group without it.</summary>
    private async Task SaveCanariesAsync(SqlErrorStore store, bool firstWithCanary)
    {
        for (var i = 0; i < 10; i++)
        {
            var plain = i == 0 && !firstWithCanary;
            await store.SaveAsync([Occurrence(HashOf("canary"), Epoch.AddDays(i), path: plain ? "/first" : "/p/" + _canary,
                message: plain ? "the first one" : $"failed for {_canary} #{i}")], CancellationToken.None);
        }

        await store.SaveAsync([Occurrence(HashOf("kept"), Epoch.AddDays(44), message: "unrelated")], CancellationToken.None);
    }

    /// <summary>The bytes of the database and its write-ahead log, read while the store's connections stay open.</summary>
    private async Task<string> RawTextAsync()
    {
        var wal = _file + "-wal";
        return Encoding.Latin1.GetString([.. await ReadSharedAsync(_file), .. File.Exists(wal) ? await ReadSharedAsync(wal) : []]);
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
