using System.Data.Common;
using ErrorTracking.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ErrorTracking.Tool;

/// <summary>
/// The store the tool works on: from <c>--db</c> or <c>--postgres</c>, else from the <c>ErrorTracker</c>
/// configuration section (appsettings.json in the current folder, then environment variables such as
/// <c>ErrorTracker__Storage__Sqlite</c>, <c>ErrorTracker__Storage__Postgres</c> and <c>ErrorTracker__Storage__TablePrefix</c>).
/// </summary>
internal sealed class StoreConnection : IAsyncDisposable
{
    /// <summary>The configuration key of an SQLite file or connection string.</summary>
    public const string SqliteKey = "ErrorTracker:Storage:Sqlite";

    /// <summary>The configuration key of a PostgreSQL connection string.</summary>
    public const string PostgresKey = "ErrorTracker:Storage:Postgres";

    /// <summary>The configuration key of the table prefix (the store's default when unset).</summary>
    public const string TablePrefixKey = "ErrorTracker:Storage:TablePrefix";

    private readonly DbDataSource? _dataSource;
    private readonly string _tablePrefix;

    private StoreConnection(SqlErrorStore store, string description, DbDataSource? dataSource, string? sqliteConnectionString, string tablePrefix)
    {
        _tablePrefix = tablePrefix;
        Store = store;
        Description = description;
        _dataSource = dataSource;
        SqliteConnectionString = sqliteConnectionString;
    }

    /// <summary>The store.</summary>
    public SqlErrorStore Store { get; }

    /// <summary>Which database, for messages (no password).</summary>
    public string Description { get; }

    /// <summary>The SQLite connection string, when the store is SQLite.</summary>
    public string? SqliteConnectionString { get; }

    /// <summary>The tool's configuration: appsettings.json in the current folder, then environment variables.</summary>
    public static IConfiguration LoadConfiguration() => new ConfigurationBuilder()
        .SetBasePath(Directory.GetCurrentDirectory())
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    /// <summary>Opens the store named on the command line or in configuration; never creates a database file.</summary>
    public static StoreConnection Open(ParsedCommand command, IConfiguration configuration)
    {
        var db = command.Value("--db");
        var postgres = command.Value("--postgres");
        if (db is not null && postgres is not null)
        {
            throw new ToolException(ExitCodes.Usage, "Give either --db or --postgres, not both.");
        }

        if (db is null && postgres is null)
        {
            postgres = Blank(configuration[PostgresKey]);
            db = postgres is null ? Blank(configuration[SqliteKey]) : null;
        }

        // Never creates the schema in a database that has none (a wrong file or database must not gain tables);
        // PrepareAsync brings an existing, older ErrorTracker schema up to date, as the application itself would.
        var options = new SqlStoreOptions { AutoMigrate = false };
        if ((command.Value("--table-prefix") ?? Blank(configuration[TablePrefixKey])) is { } prefix)
        {
            options.TablePrefix = prefix;
        }

        try
        {
            if (postgres is not null)
            {
                return OpenPostgres(postgres, options);
            }

            if (db is not null)
            {
                return OpenSqlite(db, options);
            }
        }
        catch (ArgumentException e) when (e.Message.Contains("TablePrefix", StringComparison.Ordinal))
        {
            throw new ToolException(ExitCodes.Usage, "Invalid table prefix: " + FirstLine(e.Message));
        }

        throw new ToolException(ExitCodes.Usage,
            "No database: pass --db errors.db or --postgres \"Host=...\", or set ErrorTracker__Storage__Sqlite or ErrorTracker__Storage__Postgres.");
    }

    /// <summary>A PostgreSQL connection string parsed into a data source, or a one-line error.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        try
        {
            return NpgsqlDataSource.Create(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException or InvalidOperationException)
        {
            throw new ToolException(ExitCodes.Database, "The PostgreSQL connection string is not valid: " + FirstLine(e.Message));
        }
    }

    private static StoreConnection OpenPostgres(string connectionString, SqlStoreOptions options)
    {
        var dataSource = CreateDataSource(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        return new StoreConnection(SqlErrorStore.ForPostgres(dataSource, options), description, dataSource, null, options.TablePrefix);
    }

    private static StoreConnection OpenSqlite(string db, SqlStoreOptions options)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = db.Contains('=', StringComparison.Ordinal)
                ? new SqliteConnectionStringBuilder(db)
                : new SqliteConnectionStringBuilder { DataSource = db };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ToolException(ExitCodes.Database, "The SQLite connection string is not valid: " + FirstLine(e.Message));
        }

        var file = builder.DataSource;
        if (string.IsNullOrWhiteSpace(file) || file == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ToolException(ExitCodes.Usage, "The SQLite database must be a file (--db errors.db).");
        }

        if (!File.Exists(file))
        {
            throw new ToolException(ExitCodes.NotFound, $"No database file at '{Path.GetFullPath(file)}'.");
        }

        // Opened read-write, never create: a typo must not leave an empty database behind.
        builder.Mode = SqliteOpenMode.ReadWrite;
        var connectionString = builder.ToString();
        return new StoreConnection(SqlErrorStore.ForSqlite(connectionString, options), $"SQLite {Path.GetFullPath(file)}", null, connectionString, options.TablePrefix);
    }

    /// <summary>
    /// Checks that the database holds ErrorTracker's tables, and migrates them when they are from an older version:
    /// a database without them is reported, never given an empty schema.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (SqliteConnectionString is not null)
        {
            // A file that is not SQLite at all fails here, as a database error, rather than looking empty below.
            await using var probe = new SqliteConnection(SqliteConnectionString);
            await probe.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = probe.CreateCommand();
            command.CommandText = "PRAGMA schema_version";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        if (await Store.GetSchemaVersionAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new ToolException(ExitCodes.NotFound,
                $"{Description} has no ErrorTracker tables (prefix '{_tablePrefix}'): nothing was recorded there, or the application uses another --table-prefix.");
        }

        await Store.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first line of a message, for one-line errors.</summary>
    public static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        if (SqliteConnectionString is not null)
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
