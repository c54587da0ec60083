using System.Data.Common;
using ErrorTracking.Testing.Storage;
using Microsoft.Extensions.Time.Testing;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.Storage.Tests;

/// <summary>
/// What every SQL database behind <see cref="SqlErrorStore"/> owes, on top of the store contract: schema
/// migration, table prefixes, the occurrences kept per group and retention. Each database's fixture inherits it.
/// </summary>
public abstract class SqlErrorStoreContract : ErrorStoreContract
{
    /// <summary>A fresh, empty database.</summary>
    protected abstract Task<SqlTestDatabase> CreateDatabaseAsync();

    protected override async Task<IErrorStore> CreateStoreAsync() => (await CreateDatabaseAsync()).Store();

    [Test]
    public async Task Migrating_an_empty_database_reaches_the_current_version_and_again_changes_nothing()
    {
        var database = await CreateDatabaseAsync();
        var store = database.Store(new SqlStoreOptions { AutoMigrate = false });
        (await store.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(0);

        await store.MigrateAsync(CancellationToken.None);
        await store.SaveAsync([Occurrence(HashOf("kept"))], CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);

        (await store.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(2);
        (await store.GetAsync(HashOf("kept"), CancellationToken.None)).Should().NotBeNull("migrating again keeps the data");
    }

    [Test]
    public async Task Without_auto_migration_an_empty_database_fails_clearly()
    {
        var store = (await CreateDatabaseAsync()).Store(new SqlStoreOptions { AutoMigrate = false });

        await store.Invoking(s => s.SaveAsync([Occurrence(HashOf("x"))], CancellationToken.None))
            .Should().ThrowAsync<DbException>().WithMessage("*errortracker_groups*");
    }

    [Test]
    public async Task The_schema_script_creates_what_the_store_uses()
    {
        var database = await CreateDatabaseAsync();
        var script = database.Store(new SqlStoreOptions { TablePrefix = "ops_" }).GetSchemaScript();

        script.Should().Contain("CREATE TABLE IF NOT EXISTS ops_groups").And.Contain("CREATE TABLE IF NOT EXISTS ops_occurrences")
            .And.Contain("CREATE TABLE IF NOT EXISTS ops_daily_counts").And.Contain("INSERT INTO ops_schema_version (version) VALUES (2)");
        await database.ExecuteAsync(script);
        var store = database.Store(new SqlStoreOptions { TablePrefix = "ops_", AutoMigrate = false });
        (await store.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(2);
        await store.SaveAsync([Occurrence(HashOf("by the DBA's schema"))], CancellationToken.None);
    }

    [TestCase("errors; DROP TABLE x")]
    [TestCase("1abc")]
    [TestCase("")]
    public async Task A_table_prefix_that_is_not_a_plain_name_is_refused(string prefix)
    {
        var database = await CreateDatabaseAsync();

        FluentActions.Invoking(() => database.Store(new SqlStoreOptions { TablePrefix = prefix }))
            .Should().Throw<ArgumentException>().WithMessage("*TablePrefix*");
    }

    [Test]
    public async Task Table_prefixes_keep_two_stores_apart_in_one_database()
    {
        var database = await CreateDatabaseAsync();
        var a = database.Store(new SqlStoreOptions { TablePrefix = "a_" });
        var b = database.Store(new SqlStoreOptions { TablePrefix = "b_" });

        await a.SaveAsync([Occurrence(HashOf("only in a"))], CancellationToken.None);

        (await b.ListAsync(new ErrorQuery(), CancellationToken.None)).TotalCount.Should().Be(0);
        (await a.ListAsync(new ErrorQuery(), CancellationToken.None)).TotalCount.Should().Be(1);
    }

    [Test]
    public async Task Only_the_first_and_the_latest_occurrences_are_kept()
    {
        var database = await CreateDatabaseAsync();
        var store = database.Store(new SqlStoreOptions { OccurrencesPerGroup = 3 });
        var hash = HashOf("many");

        for (var i = 0; i < 10; i++)
        {
            await store.SaveAsync([Occurrence(hash, Epoch.AddMinutes(i), message: $"occurrence {i}")], CancellationToken.None);
        }

        var detail = (await store.GetAsync(hash, CancellationToken.None))!;
        detail.Record.Count.Should().Be(10);
        detail.FirstOccurrence.Message.Should().Be("occurrence 0");
        detail.LatestOccurrence.Message.Should().Be("occurrence 9");
        (await database.CountAsync("errortracker_occurrences")).Should().Be(4, "the first one and the latest three");
    }

    [Test]
    public async Task Retention_drops_old_occurrences_and_groups_past_the_limit()
    {
        var database = await CreateDatabaseAsync();
        var clock = new FakeTimeProvider(Epoch.AddDays(45));
        var store = database.Store(new SqlStoreOptions { OccurrenceRetention = TimeSpan.FromDays(30), MaxGroups = 2 }, clock);
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
        (await database.CountAsync("errortracker_occurrences")).Should().Be(4, "each kept group keeps its first occurrence and the one within 30 days");
        (await store.GetAsync(HashOf("group 3"), CancellationToken.None))!.FirstOccurrence.Timestamp.Should().Be(Epoch.AddDays(3));
    }
}

/// <summary>One empty database of a test, and stores over it.</summary>
public abstract class SqlTestDatabase
{
    public abstract SqlErrorStore Store(SqlStoreOptions? options = null, TimeProvider? time = null);

    public abstract DbConnection Connect();

    public async Task<long> CountAsync(string table)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string script)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = script;
        await command.ExecuteNonQueryAsync();
    }
}
