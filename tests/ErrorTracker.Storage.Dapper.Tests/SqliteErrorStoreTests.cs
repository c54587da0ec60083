using ErrorTracking.Records;
using ErrorTracking.Storage.Tests.Support;
using ErrorTracking.Testing.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.Storage.Tests;

public sealed class SqliteErrorStoreTests : SqlErrorStoreContract
{
    private TemporaryDirectory _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TemporaryDirectory();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    protected override Task<SqlTestDatabase> CreateDatabaseAsync() =>
        Task.FromResult<SqlTestDatabase>(new SqliteDatabase($"Data Source={_folder.File($"{Guid.NewGuid():N}.db")}"));

    protected override string Stored(string text) => text.Replace('\ud800', '\uFFFD');

    [Test]
    public async Task The_file_is_created_in_wal_mode_on_first_use()
    {
        var path = _folder.File("new.db");
        var store = SqlErrorStore.ForSqlite($"Data Source={path}");

        await store.SaveAsync([Occurrence(HashOf("x"))], CancellationToken.None);

        File.Exists(path).Should().BeTrue();
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        (await command.ExecuteScalarAsync()).Should().Be("wal");
    }

    [Test]
    public async Task A_failing_retention_sweep_does_not_make_a_committed_batch_look_unsaved()
    {
        var connectionString = $"Data Source={_folder.File("sweep.db")}";
        var opens = 0;
        var store = new SqlErrorStore(new SqliteDialect(), () =>
        {
            // Opens: 1 migration, 2 the batch, 3 the sweep after it.
            if (Interlocked.Increment(ref opens) == 3)
            {
                throw new SqliteException("database is locked", 5);
            }

            return new SqliteConnection(connectionString);
        }, new SqlStoreOptions { OccurrenceRetention = TimeSpan.FromDays(30) });
        var hash = HashOf("swept");

        var saved = await store.SaveAsync([Occurrence(hash)], CancellationToken.None);

        saved[0].Count.Should().Be(1);
        (await store.GetAsync(hash, CancellationToken.None))!.Record.Count.Should().Be(1);
    }

    [Test]
    public async Task Two_stores_on_one_file_lose_no_count()
    {
        var file = $"Data Source={_folder.File("two.db")}";
        var first = SqlErrorStore.ForSqlite(file);
        var second = SqlErrorStore.ForSqlite(file + ";Pooling=False");
        var hash = HashOf("shared");

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 500; i++) await first.SaveAsync([Occurrence(hash)], CancellationToken.None); }),
            Task.Run(async () => { for (var i = 0; i < 500; i++) await second.SaveAsync([Occurrence(hash)], CancellationToken.None); }));

        (await first.GetAsync(hash, CancellationToken.None))!.Record.Count.Should().Be(1_000);
    }

    [Test]
    public async Task Two_processes_on_one_file_lose_no_count()
    {
        var connectionString = $"Data Source={_folder.File("processes.db")}";
        var store = SqlErrorStore.ForSqlite(connectionString);
        await store.MigrateAsync(CancellationToken.None);

        await Task.WhenAll(
            WriterProcess.RunAsync("sqlite", connectionString, "across processes", 300),
            WriterProcess.RunAsync("sqlite", connectionString, "across processes", 300),
            Task.Run(async () => { for (var i = 0; i < 300; i++) await store.SaveAsync([Occurrence(HashOf("across processes"))], CancellationToken.None); }));

        (await store.GetAsync(HashOf("across processes"), CancellationToken.None))!.Record.Count.Should().Be(900);
    }

    [Test]
    public async Task A_read_only_file_raises_a_clear_error_and_the_tracker_survives_it()
    {
        var path = _folder.File("readonly.db");
        var setUp = SqlErrorStore.ForSqlite($"Data Source={path}");
        await setUp.MigrateAsync(CancellationToken.None);
        var readOnly = SqlErrorStore.ForSqlite($"Data Source={path};Mode=ReadOnly");

        await readOnly.Invoking(s => s.SaveAsync([Occurrence(HashOf("x"))], CancellationToken.None))
            .Should().ThrowAsync<SqliteException>().WithMessage("*readonly*");

        using (ErrorTracker.Init(o =>
        {
            o.Store = readOnly;
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
        }))
        {
            FluentActions.Invoking(() => ErrorTracker.RecordException(new InvalidOperationException("while the disk is read-only")))
                .Should().NotThrow();
            (await ErrorTracker.FlushAsync(TimeSpan.FromMilliseconds(500))).Should().BeFalse("the occurrence waits for a writable store");
            ErrorTracker.Statistics!.StoreFailures.Should().BeGreaterThan(0);
            ErrorTracker.Statistics!.Buffered.Should().Be(1);
        }
    }

    [Test]
    public async Task The_facade_and_the_builder_can_choose_sqlite_in_one_call()
    {
        var facadeFile = _folder.File("facade.db");
        using (ErrorTracker.Init(o => o.UseSqlite($"Data Source={facadeFile}")))
        {
            ErrorTracker.RecordException(new InvalidOperationException("through the facade"), new { password = "hunter2" });
        }

        var stored = SqlErrorStore.ForSqlite($"Data Source={facadeFile}");
        var page = await stored.ListAsync(new ErrorQuery(), CancellationToken.None);
        page.Items.Should().ContainSingle().Which.Message.Should().Be("through the facade");
        var variables = (await stored.GetAsync(page.Items[0].Hash, CancellationToken.None))!.FirstOccurrence.Exception.Frames
            .SelectMany(f => f.Variables).Where(v => v.Origin == VariableOrigin.Explicit).ToList();
        variables.Should().ContainSingle().Which.Value.Kind.Should().Be(RecordedValueKind.Masked);

        var services = new ServiceCollection();
        services.AddErrorTracker().UseSqlite($"Data Source={_folder.File("di.db")}");
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IErrorStore>().Should().BeOfType<SqlErrorStore>();
        var tracker = provider.GetRequiredService<IErrorTracker>();
        tracker.RecordException(new InvalidOperationException("through DI"));
        (await tracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        (await provider.GetRequiredService<IErrorStore>().ListAsync(new ErrorQuery(), CancellationToken.None)).TotalCount.Should().Be(1);
    }

    [Test]
    public async Task The_secret_never_reaches_the_file()
    {
        var path = _folder.File("bytes.db");
        var secret = "S3cr3t-" + Guid.NewGuid().ToString("N");
        using (ErrorTracker.Init(o => o.UseSqlite($"Data Source={path}")))
        {
            ErrorTracker.RecordException(new InvalidOperationException($"login failed: password={secret}"), new { password = secret, token = secret });
        }

        SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(path);
        var wal = File.Exists(path + "-wal") ? await File.ReadAllBytesAsync(path + "-wal") : [];
        System.Text.Encoding.UTF8.GetString([.. bytes, .. wal]).Should().NotContain(secret).And.NotContain(secret[7..]);
        bytes.Length.Should().BeGreaterThan(0);
    }

    private sealed class SqliteDatabase(string connectionString) : SqlTestDatabase
    {
        public override SqlErrorStore Store(SqlStoreOptions? options = null, TimeProvider? time = null) =>
            new(new SqliteDialect(), () => new SqliteConnection(connectionString), options, ClockOr(time));

        public override System.Data.Common.DbConnection Connect() => new SqliteConnection(connectionString);
    }
}
