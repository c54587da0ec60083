using ErrorTracking.Storage.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.Storage.Tests;

/// <summary>
/// A store made with the default options is bounded: 10,000 groups, occurrences for 30 days. "No limit" is still
/// there, asked for explicitly with <see langword="null"/>.
/// </summary>
public sealed class SqliteRetentionDefaultsTests
{
    private const int Distinct = SqlStoreOptions.DefaultMaxGroups + 10;
    private static readonly string Kept = HashOf("seen most recently");

    private TemporaryDirectory _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TemporaryDirectory();

    [TearDown]
    public void RemoveFolder()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Test]
    public async Task A_store_with_the_default_options_sweeps_past_ten_thousand_groups_and_thirty_days()
    {
        var store = await FilledStoreAsync(options: null);

        await store.SweepAsync(CancellationToken.None);

        (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).TotalCount.Should().Be(SqlStoreOptions.DefaultMaxGroups);
        (await store.ListOccurrencesAsync(Kept, 100, CancellationToken.None)).Select(o => o.Timestamp)
            .Should().BeEquivalentTo([Epoch.AddDays(2), Epoch.AddDays(44)], "the first stays; the one of day 3 is past 30 days");
    }

    [Test]
    public async Task No_limit_is_still_there_when_asked_for_with_null()
    {
        var store = await FilledStoreAsync(new SqlStoreOptions { MaxGroups = null, OccurrenceRetention = null });

        (await store.SweepAsync(CancellationToken.None)).Should().Be((0L, 0L));

        (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).TotalCount.Should().Be(Distinct + 1);
        (await store.ListOccurrencesAsync(Kept, 100, CancellationToken.None)).Should().HaveCount(3);
    }

    /// <summary>One group seen on days 2, 3 and 44 (of a clock at day 45), then more distinct groups than the default cap.</summary>
    private async Task<SqlErrorStore> FilledStoreAsync(SqlStoreOptions? options)
    {
        var clock = new FakeTimeProvider(Epoch.AddDays(45));
        var file = _folder.File("bounded.db");
        var store = new SqlErrorStore(new SqliteDialect(), () => new SqliteConnection($"Data Source={file}"), options, clock);
        await store.SaveAsync([Occurrence(Kept, Epoch.AddDays(2)), Occurrence(Kept, Epoch.AddDays(3)), Occurrence(Kept, Epoch.AddDays(44))],
            CancellationToken.None);
        foreach (var batch in Enumerable.Range(0, Distinct).Chunk(500))
        {
            await store.SaveAsync([.. batch.Select(i => Occurrence(HashOf($"distinct {i}"), Epoch.AddDays(40).AddSeconds(i)))], CancellationToken.None);
        }

        return store;
    }
}
