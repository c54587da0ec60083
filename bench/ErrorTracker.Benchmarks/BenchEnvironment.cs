using Npgsql;

namespace ErrorTracking.Benchmarks;

/// <summary>
/// What the host process sets up once and hands to BenchmarkDotNet's child processes (one per benchmark) through
/// environment variables, which children inherit: a scratch directory and a PostgreSQL server. Starting a cluster in
/// every child would add seconds to each benchmark and lose the pre-filled list data between them.
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    /// <summary>A directory for SQLite files; set it yourself to keep the filled list database between runs.</summary>
    public const string DirectoryVariable = "ERRORTRACKER_BENCH_DIR";

    /// <summary>A superuser connection string; set it yourself to benchmark an existing server instead of a throwaway one.</summary>
    public const string PostgresVariable = "ERRORTRACKER_BENCH_POSTGRES";

    private readonly string? _ownedDirectory;
    private readonly PostgresCluster? _cluster;

    private BenchEnvironment(string? ownedDirectory, PostgresCluster? cluster)
    {
        _ownedDirectory = ownedDirectory;
        _cluster = cluster;
    }

    public static string Directory => Environment.GetEnvironmentVariable(DirectoryVariable)
        ?? throw new InvalidOperationException(DirectoryVariable + " is not set; run the benchmarks through Program.");

    public static string PostgresAdmin => Environment.GetEnvironmentVariable(PostgresVariable)
        ?? throw new InvalidOperationException(PostgresVariable + " is not set and no throwaway PostgreSQL could be started.");

    public static async Task<BenchEnvironment> StartAsync()
    {
        string? ownedDirectory = null;
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DirectoryVariable)))
        {
            ownedDirectory = Path.Combine(Path.GetTempPath(), "errortracker-bench-" + Guid.NewGuid().ToString("N")[..8]);
            System.IO.Directory.CreateDirectory(ownedDirectory);
            Environment.SetEnvironmentVariable(DirectoryVariable, ownedDirectory);
        }

        PostgresCluster? cluster = null;
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresVariable)))
        {
            try
            {
                cluster = await PostgresCluster.StartAsync();
                Environment.SetEnvironmentVariable(PostgresVariable, cluster.ConnectionString);
            }
            catch (Exception e)
            {
                // The SQLite and in-memory benchmarks are still worth running; the PostgreSQL ones fail in their setup.
                await Console.Error.WriteLineAsync("PostgreSQL benchmarks will fail: " + e.Message);
            }
        }

        return new BenchEnvironment(ownedDirectory, cluster);
    }

    /// <summary>Creates an empty database on the benchmark server and returns a connection string to it.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(PostgresAdmin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE); CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return DatabaseConnectionString(name);
    }

    public static string DatabaseConnectionString(string name) =>
        new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name }.ConnectionString;

    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_ownedDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(_ownedDirectory, recursive: true);
        }
    }
}
