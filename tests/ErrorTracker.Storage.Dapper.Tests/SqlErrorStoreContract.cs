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

        (await store.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(3);
        (await store.GetAsync(HashOf("kept"), CancellationToken.None)).Should().NotBeNull("migrating again keeps the data");
    }

    [Test]
    public async Task A_database_at_version_one_migrates_to_the_current_version_and_keeps_its_groups()
    {
        var database = await CreateDatabaseAsync();
        var before = database.Store();
        var hash = HashOf("from version one");
        await before.SaveAsync([Occurrence(hash, Epoch), Occurrence(hash, Epoch.AddMinutes(1))], CancellationToken.None);
        // As the release before the previous one left it: version 1 had no daily counts and no delivery times.
        await RemoveVersionThreeAsync(database);
        await database.ExecuteAsync("DROP TABLE errortracker_daily_counts");
        await database.ExecuteAsync("UPDATE errortracker_schema_version SET version = 1");
        var after = database.Store();
        (await after.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(1);

        var saved = await after.SaveAsync([Occurrence(hash, Epoch.AddDays(1))], CancellationToken.None);

        (await after.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(3);
        saved[0].Count.Should().Be(3, "the group's count from version 1 is kept");
        (await after.GetAsync(hash, CancellationToken.None))!.FirstOccurrence.Timestamp.Should().Be(Epoch);
        (await after.ListOccurrencesAsync(hash, 10, CancellationToken.None)).Should().HaveCount(3);
        (await after.CountByDayAsync([hash], Day(0), Day(1), CancellationToken.None)).Should().Equal(
            [new DailyCount(hash, Day(1), 1)], "days are counted from the migration on; version 1 kept no days to carry over");
        await after.DeleteAsync(hash, CancellationToken.None);
        (await after.GetAsync(hash, CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task A_database_at_version_two_migrates_to_three_and_keeps_its_groups_and_delivery_flags()
    {
        var database = await CreateDatabaseAsync();
        var before = database.Store();
        var notified = HashOf("notified under version two");
        var quiet = HashOf("never delivered under version two");
        await before.SaveAsync([Occurrence(notified, Epoch), Occurrence(quiet, Epoch)], CancellationToken.None);
        await before.UpdateAsync(notified, new ErrorRecordUpdate { NotificationSent = true, TicketRaised = true, TicketReference = "OPS-7" }, CancellationToken.None);
        // As the previous release left it: version 2 kept the delivery flags and the ticket reference, but no times.
        await RemoveVersionThreeAsync(database);
        await database.ExecuteAsync("UPDATE errortracker_schema_version SET version = 2");
        var after = database.Store();
        (await after.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(2);

        var saved = await after.SaveAsync([Occurrence(notified, Epoch.AddDays(1))], CancellationToken.None);

        (await after.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(3);
        saved[0].Should().BeEquivalentTo(new
        {
            Count = 2L,
            NotificationSent = true,
            LastNotifiedOn = (DateTimeOffset?)null,
            TicketRaised = true,
            LastTicketUpdateOn = (DateTimeOffset?)null,
            TicketReference = "OPS-7",
        });
        (await after.TryClaimDeliveryAsync(notified, DeliveryChannel.Notification, Epoch.AddDays(1), null, CancellationToken.None))
            .Should().BeFalse("the group was notified under version 2");
        (await after.TryClaimDeliveryAsync(quiet, DeliveryChannel.Notification, Epoch.AddDays(1), TimeSpan.FromHours(1), CancellationToken.None)).Should().BeTrue();
        (await after.GetAsync(quiet, CancellationToken.None))!.Record.LastNotifiedOn.Should().Be(Epoch.AddDays(1));
        (await after.ListAsync(new ErrorQuery(), CancellationToken.None)).TotalCount.Should().Be(2);
    }

    [Test]
    public async Task Two_instances_saving_the_same_failure_at_once_deliver_it_once()
    {
        var database = await CreateDatabaseAsync();
        SqlErrorStore[] instances = [database.Store(), database.Store()];
        await instances[0].MigrateAsync(CancellationToken.None);
        var quiet = TimeSpan.FromHours(1);

        for (var round = 0; round < 20; round++)
        {
            var hash = HashOf($"failing everywhere {round}");
            var now = Epoch.AddMinutes(round);
            using var together = new Barrier(instances.Length);
            // Each instance does what an application does after storing a failure: claim its notification.
            var claims = instances.Select(instance => Task.Run(async () =>
            {
                await instance.SaveAsync([Occurrence(hash, now)], CancellationToken.None);
                together.SignalAndWait(TimeSpan.FromSeconds(30)).Should().BeTrue("both instances reach the claim");
                return await instance.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, now, quiet, CancellationToken.None);
            })).ToList();

            var claimed = await Task.WhenAll(claims);

            claimed.Count(c => c).Should().Be(1, "one mail is sent in round {0}, not two", round);
            var record = (await instances[1].GetAsync(hash, CancellationToken.None))!.Record;
            (record.Count, record.NotificationSent, record.LastNotifiedOn).Should().Be((2L, true, (DateTimeOffset?)now));
        }
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
            .And.Contain("CREATE TABLE IF NOT EXISTS ops_daily_counts").And.Contain("last_notified_at").And.Contain("last_ticket_update_at")
            .And.Contain("INSERT INTO ops_schema_version (version) VALUES (3)");
        await database.ExecuteAsync(script);
        var store = database.Store(new SqlStoreOptions { TablePrefix = "ops_", AutoMigrate = false });
        (await store.GetSchemaVersionAsync(CancellationToken.None)).Should().Be(3);
        var hash = HashOf("by the DBA's schema");
        await store.SaveAsync([Occurrence(hash)], CancellationToken.None);
        (await store.CountByDayAsync([hash], Day(0), Day(0), CancellationToken.None)).Should().ContainSingle().Which.Count.Should().Be(1);
        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Ticket, Epoch, null, CancellationToken.None)).Should().BeTrue();
        (await store.UpdateAsync(hash, new ErrorRecordUpdate { TicketReference = "OPS-1" }, CancellationToken.None)).Should().BeTrue();
        (await store.GetAsync(hash, CancellationToken.None))!.Record.Should().BeEquivalentTo(
            new { TicketRaised = true, LastTicketUpdateOn = Epoch, TicketReference = "OPS-1" });
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
    public async Task Retention_drops_old_occurrences_and_daily_counts_and_groups_past_the_limit()
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
        var hashes = Enumerable.Range(0, 4).Select(group => HashOf($"group {group}")).ToList();
        (await store.CountByDayAsync(hashes, Day(0), Day(45), CancellationToken.None)).Should().BeEquivalentTo(
            [new DailyCount(HashOf("group 2"), Day(22), 1), new DailyCount(HashOf("group 3"), Day(23), 1)],
            "days before the 30-day cutoff go, and so do the days of groups past the limit");
        (await database.CountAsync("errortracker_daily_counts")).Should().Be(2);
    }

    /// <summary>Takes the groups table back to what version 2 had: the delivery flags, but no delivery times.</summary>
    private static async Task RemoveVersionThreeAsync(SqlTestDatabase database)
    {
        await database.ExecuteAsync("ALTER TABLE errortracker_groups DROP COLUMN last_notified_at");
        await database.ExecuteAsync("ALTER TABLE errortracker_groups DROP COLUMN last_ticket_update_at");
    }
}

/// <summary>One empty database of a test, and stores over it.</summary>
public abstract class SqlTestDatabase
{
    public abstract SqlErrorStore Store(SqlStoreOptions? options = null, TimeProvider? time = null);

    /// <summary>
    /// The tests' occurrences are dated around <see cref="Epoch"/>: without a clock of its own a store runs on one
    /// that stands there, or the default 30-day retention would sweep them as old.
    /// </summary>
    protected static TimeProvider ClockOr(TimeProvider? time) => time ?? new FakeTimeProvider(Epoch);

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
