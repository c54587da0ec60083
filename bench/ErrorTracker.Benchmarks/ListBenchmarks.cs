using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Npgsql;

namespace ErrorTracking.Benchmarks;

/// <summary>
/// Dashboard latency at scale: 100,000 groups with 1,000,000 occurrences behind them. Each query is one category with
/// the in-memory store as its baseline, so the ratio column reads "how much slower than keeping it all in memory".
/// </summary>
[Config(typeof(StoreBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ListBenchmarks
{
    private const string FirstPage = "First page (1 x 10)";
    private const string DeepPage = "Deep page (5,000 x 10)";
    private const string Filtered = "Path contains, page 1";
    private const string Get = "GetAsync one group";

    private static readonly ErrorQuery FirstPageQuery = new() { Page = 1, PageSize = 10 };
    private static readonly ErrorQuery DeepPageQuery = new() { Page = 5_000, PageSize = 10 };
    private static readonly ErrorQuery FilteredQuery = new() { Page = 1, PageSize = 10, Path = Occurrences.FilteredResource };

    // A group in the middle of the table: neither the newest rows nor the oldest, which could sit in warmer pages.
    internal static readonly string GroupHash = Occurrences.HashOf(ListData.Groups / 2 + 7);

    private IErrorStore _store = null!;
    private NpgsqlDataSource? _dataSource;

    [GlobalSetup(Targets = new[] { nameof(FirstPageInMemory), nameof(DeepPageInMemory), nameof(FilteredInMemory), nameof(GetInMemory) })]
    public void SetupInMemory()
    {
        var store = new InMemoryErrorStore(maxGroups: ListData.Groups);
        ListData.FillInMemory(store);
        _store = store;
    }

    [GlobalSetup(Targets = new[] { nameof(FirstPageSqlite), nameof(DeepPageSqlite), nameof(FilteredSqlite), nameof(GetSqlite) })]
    public async Task SetupSqlite()
    {
        var connectionString = $"Data Source={Path.Combine(BenchEnvironment.Directory, $"list-{ListData.Groups}.db")}";
        var store = SqlErrorStore.ForSqlite(connectionString);
        await ListData.FillSqliteAsync(connectionString, store);
        _store = store;
    }

    [GlobalSetup(Targets = new[] { nameof(FirstPagePostgres), nameof(DeepPagePostgres), nameof(FilteredPostgres), nameof(GetPostgres) })]
    public async Task SetupPostgres()
    {
        // One database for the whole run, created by whichever benchmark process comes first and reused by the rest.
        const string database = "errortracker_bench_list";
        var connectionString = BenchEnvironment.DatabaseConnectionString(database);
        try
        {
            await using var probe = new NpgsqlConnection(connectionString);
            await probe.OpenAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            await BenchEnvironment.CreateDatabaseAsync(database);
        }

        _dataSource = NpgsqlDataSource.Create(connectionString);
        var store = SqlErrorStore.ForPostgres(_dataSource);
        await ListData.FillPostgresAsync(connectionString, store);
        _store = store;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory(FirstPage)]
    public Task<ErrorPage> FirstPageInMemory() => _store.ListAsync(FirstPageQuery, CancellationToken.None);

    [Benchmark, BenchmarkCategory(FirstPage)]
    public Task<ErrorPage> FirstPageSqlite() => _store.ListAsync(FirstPageQuery, CancellationToken.None);

    [Benchmark, BenchmarkCategory(FirstPage)]
    public Task<ErrorPage> FirstPagePostgres() => _store.ListAsync(FirstPageQuery, CancellationToken.None);

    [Benchmark(Baseline = true), BenchmarkCategory(DeepPage)]
    public Task<ErrorPage> DeepPageInMemory() => _store.ListAsync(DeepPageQuery, CancellationToken.None);

    [Benchmark, BenchmarkCategory(DeepPage)]
    public Task<ErrorPage> DeepPageSqlite() => _store.ListAsync(DeepPageQuery, CancellationToken.None);

    [Benchmark, BenchmarkCategory(DeepPage)]
    public Task<ErrorPage> DeepPagePostgres() => _store.ListAsync(DeepPageQuery, CancellationToken.None);

    [Benchmark(Baseline = true), BenchmarkCategory(Filtered)]
    public Task<ErrorPage> FilteredInMemory() => _store.ListAsync(FilteredQuery, CancellationToken.None);

    [Benchmark, BenchmarkCategory(Filtered)]
    public Task<ErrorPage> FilteredSqlite() => _store.ListAsync(FilteredQuery, CancellationToken.None);

    [Benchmark, BenchmarkCategory(Filtered)]
    public Task<ErrorPage> FilteredPostgres() => _store.ListAsync(FilteredQuery, CancellationToken.None);

    [Benchmark(Baseline = true), BenchmarkCategory(Get)]
    public Task<ErrorRecordDetail?> GetInMemory() => _store.GetAsync(GroupHash, CancellationToken.None);

    [Benchmark, BenchmarkCategory(Get)]
    public Task<ErrorRecordDetail?> GetSqlite() => _store.GetAsync(GroupHash, CancellationToken.None);

    [Benchmark, BenchmarkCategory(Get)]
    public Task<ErrorRecordDetail?> GetPostgres() => _store.GetAsync(GroupHash, CancellationToken.None);
}
