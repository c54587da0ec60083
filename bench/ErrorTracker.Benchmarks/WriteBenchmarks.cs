using BenchmarkDotNet.Attributes;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ErrorTracking.Benchmarks;

/// <summary>
/// Write throughput: one invocation stores 1,000 occurrences of 50 groups in batches of 100, the background writer's
/// default batch, so each batch is one transaction as in production. The groups exist after the first invocation, so
/// the steady state measured is "known errors recurring", the common case, including trimming to the kept occurrences.
/// </summary>
[Config(typeof(StoreBenchmarkConfig))]
public class WriteBenchmarks
{
    private const int Total = 1_000;
    private const int Groups = 50;
    private const int BatchSize = 100;

    private readonly string _postgresDatabase = "errortracker_bench_write_" + Environment.ProcessId;
    private IReadOnlyList<ErrorEvent>[] _batches = [];
    private IErrorStore _store = null!;
    private string? _sqliteFile;
    private NpgsqlDataSource? _dataSource;

    // Built once: capturing occurrences is not the store's cost, so it stays out of the measurement.
    private void BuildBatches() => _batches = Enumerable.Range(0, Total)
        .Select(i => Occurrences.Create(i % Groups, Occurrences.Epoch.AddMilliseconds(i)))
        .Chunk(BatchSize)
        .Select(chunk => (IReadOnlyList<ErrorEvent>)chunk)
        .ToArray();

    [GlobalSetup(Target = nameof(InMemory))]
    public void SetupInMemory()
    {
        BuildBatches();
        _store = new InMemoryErrorStore();
    }

    [GlobalSetup(Target = nameof(Sqlite))]
    public async Task SetupSqlite()
    {
        BuildBatches();
        _sqliteFile = Path.Combine(BenchEnvironment.Directory, $"write-{Environment.ProcessId}.db");
        // The store switches every connection to WAL (with synchronous=NORMAL) itself, as it does in production.
        var store = SqlErrorStore.ForSqlite($"Data Source={_sqliteFile}");
        await store.MigrateAsync(CancellationToken.None);
        _store = store;
    }

    [GlobalSetup(Target = nameof(Postgres))]
    public async Task SetupPostgres()
    {
        BuildBatches();
        _dataSource = NpgsqlDataSource.Create(await BenchEnvironment.CreateDatabaseAsync(_postgresDatabase));
        var store = SqlErrorStore.ForPostgres(_dataSource);
        await store.MigrateAsync(CancellationToken.None);
        _store = store;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
            await BenchEnvironment.DropDatabaseAsync(_postgresDatabase);
        }

        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_sqliteFile + suffix);
            }
        }
    }

    [Benchmark(Baseline = true, Description = "InMemory: 1,000 occurrences")]
    public Task InMemory() => SaveAllAsync();

    [Benchmark(Description = "SQLite: 1,000 occurrences")]
    public Task Sqlite() => SaveAllAsync();

    [Benchmark(Description = "PostgreSQL: 1,000 occurrences")]
    public Task Postgres() => SaveAllAsync();

    // Sequential, like the single background writer that calls SaveAsync in production.
    private async Task SaveAllAsync()
    {
        foreach (var batch in _batches)
        {
            await _store.SaveAsync(batch, CancellationToken.None);
        }
    }
}
