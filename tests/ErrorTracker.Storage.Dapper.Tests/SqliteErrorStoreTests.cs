using ErrorTracking.Records;
using ErrorTracking.Storage.Tests.Support;
using ErrorTracking.Testing.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.Storage.Tests;

public sealed class SqliteErrorStoreTests : ErrorStoreContract
{
    private TemporaryDirectory _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TemporaryDirectory();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    protected override Task<IErrorStore> CreateStoreAsync() =>
        Task.FromResult<IErrorStore>(SqlErrorStore.ForSqlite($"Data Source={_folder.File("errors.db")}"));

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
    public async Task Migrating_an_empty_database_reaches_the_current_version_and_again_changes_nothing()
    {
        var store = SqlErrorStore.ForSqlite($"Data Source={_folder.File("m.db")}", new SqlStoreOptions { AutoMigrate = false });
        (await store.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(0);

        await store.MigrateAsync(CancellationToken.None);
        await store.SaveAsync([Occurrence(HashOf("kept"))], CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);

        (await store.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(1);
        (await store.GetAsync(HashOf("kept"), CancellationToken.None)).Should().NotBeNull("migrating again keeps the data");
    }

    [Test]
    public async Task Without_auto_migration_an_empty_database_fails_clearly()
    {
        var store = SqlErrorStore.ForSqlite($"Data Source={_folder.File("manual.db")}", new SqlStoreOptions { AutoMigrate = false });

        await store.Invoking(s => s.SaveAsync([Occurrence(HashOf("x"))], CancellationToken.None))
            .Should().ThrowAsync<SqliteException>().WithMessage("*no such table*errortracker_groups*");
    }

    [Test]
    public void The_schema_script_is_there_for_a_dba()
    {
        var script = SqlErrorStore.ForSqlite("Data Source=unused.db", new SqlStoreOptions { TablePrefix = "ops_" }).GetSchemaScript();

        script.Should().Contain("CREATE TABLE IF NOT EXISTS ops_groups").And.Contain("CREATE TABLE IF NOT EXISTS ops_occurrences")
            .And.Contain("INSERT INTO ops_schema_version (version) VALUES (1)");
    }

    [TestCase("errors; DROP TABLE x")]
    [TestCase("1abc")]
    [TestCase("")]
    public void A_table_prefix_that_is_not_a_plain_name_is_refused(string prefix)
    {
        FluentActions.Invoking(() => SqlErrorStore.ForSqlite("Data Source=unused.db", new SqlStoreOptions { TablePrefix = prefix }))
            .Should().Throw<ArgumentException>().WithMessage("*TablePrefix*");
    }

    [Test]
    public async Task Table_prefixes_keep_two_stores_apart_in_one_file()
    {
        var file = $"Data Source={_folder.File("shared.db")}";
        var a = SqlErrorStore.ForSqlite(file, new SqlStoreOptions { TablePrefix = "a_" });
        var b = SqlErrorStore.ForSqlite(file, new SqlStoreOptions { TablePrefix = "b_" });

        await a.SaveAsync([Occurrence(HashOf("only in a"))], CancellationToken.None);

        (await b.ListAsync(new ErrorQuery(), CancellationToken.None)).TotalCount.Should().Be(0);
        (await a.ListAsync(new ErrorQuery(), CancellationToken.None)).TotalCount.Should().Be(1);
    }

    [Test]
    public async Task Only_the_first_and_the_latest_occurrences_are_kept()
    {
        var path = _folder.File("keep.db");
        var store = SqlErrorStore.ForSqlite($"Data Source={path}", new SqlStoreOptions { OccurrencesPerGroup = 3 });
        var hash = HashOf("many");

        for (var i = 0; i < 10; i++)
        {
            await store.SaveAsync([Occurrence(hash, Epoch.AddMinutes(i), message: $"occurrence {i}")], CancellationToken.None);
        }

        var detail = (await store.GetAsync(hash, CancellationToken.None))!;
        detail.Record.Count.Should().Be(10);
        detail.FirstOccurrence.Message.Should().Be("occurrence 0");
        detail.LatestOccurrence.Message.Should().Be("occurrence 9");
        (await CountRowsAsync(path, "errortracker_occurrences")).Should().Be(4, "the first one and the latest three");
    }

    [Test]
    public async Task Retention_drops_old_occurrences_and_groups_past_the_limit()
    {
        var path = _folder.File("retention.db");
        var clock = new FakeTimeProvider(Epoch.AddDays(45));
        var store = new SqlErrorStore(new SqliteDialect(), () => new SqliteConnection($"Data Source={path}"),
            new SqlStoreOptions { OccurrenceRetention = TimeSpan.FromDays(30), MaxGroups = 2 }, clock);
        for (var group = 0; group < 4; group++)
        {
            for (var day = 0; day < 3; day++)
            {
                await store.SaveAsync([Occurrence(HashOf($"group {group}"), Epoch.AddDays(day * 10 + group))], CancellationToken.None);
            }
        }

        var (occurrences, groups) = await store.SweepAsync(CancellationToken.None);

        groups.Should().Be(2);
        (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).Items.Select(r => r.Hash)
            .Should().BeEquivalentTo([HashOf("group 3"), HashOf("group 2")], "the groups seen most recently stay");
        occurrences.Should().Be(4, "the non-first occurrences of day 10 to 13 are past 30 days");
        (await CountRowsAsync(path, "errortracker_occurrences")).Should().Be(4, "each kept group keeps its first occurrence and the one within 30 days");
        (await store.GetAsync(HashOf("group 3"), CancellationToken.None))!.FirstOccurrence.Timestamp.Should().Be(Epoch.AddDays(3));
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

    private static async Task<long> CountRowsAsync(string path, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
