using System.Data.Common;

namespace ErrorTracking.Storage;

/// <summary>SQLite: one file, WAL mode so readers never wait for the writer, and a busy timeout for several processes.</summary>
public sealed class SqliteDialect : SqlDialect
{
    private const int BusyTimeoutMilliseconds = 10_000;

    // Short: the delete is already done, and a long-running reader must not hold the dashboard's answer up.
    private const int CheckpointWaitMilliseconds = 200;

    /// <inheritdoc />
    public override string Name => "SQLite";

    /// <inheritdoc />
    public override string FalseLiteral => "0";

    /// <inheritdoc />
    public override string TrueLiteral => "1";

    /// <inheritdoc />
    public override IReadOnlyList<IReadOnlyList<string>> Migrations(SqlTableNames tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return
        [
            [
                $"""
                CREATE TABLE IF NOT EXISTS {tables.Groups} (
                    hash TEXT NOT NULL PRIMARY KEY,
                    exception_name TEXT NOT NULL,
                    message TEXT NOT NULL,
                    host TEXT NOT NULL,
                    path TEXT NOT NULL,
                    method TEXT NOT NULL,
                    application TEXT NULL,
                    count INTEGER NOT NULL,
                    created_on INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    status INTEGER NOT NULL DEFAULT 0,
                    notification_sent INTEGER NOT NULL DEFAULT 0,
                    ticket_raised INTEGER NOT NULL DEFAULT 0,
                    ticket_reference TEXT NULL)
                """,
                $"CREATE INDEX IF NOT EXISTS {tables.Groups}_last_seen ON {tables.Groups} (last_seen DESC, hash)",
                $"CREATE INDEX IF NOT EXISTS {tables.Groups}_status ON {tables.Groups} (status, last_seen DESC)",
                $"""
                CREATE TABLE IF NOT EXISTS {tables.Occurrences} (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    group_hash TEXT NOT NULL,
                    timestamp INTEGER NOT NULL,
                    is_first INTEGER NOT NULL,
                    payload TEXT NOT NULL)
                """,
                $"CREATE INDEX IF NOT EXISTS {tables.Occurrences}_group ON {tables.Occurrences} (group_hash, id)",
                $"CREATE INDEX IF NOT EXISTS {tables.Occurrences}_timestamp ON {tables.Occurrences} (timestamp)",
            ],
            [
                // day is DateOnly.DayNumber. Groups from version 1 get no rows: see SqlErrorStore.CountByDayAsync.
                $"""
                CREATE TABLE IF NOT EXISTS {tables.DailyCounts} (
                    group_hash TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (group_hash, day))
                """,
                $"CREATE INDEX IF NOT EXISTS {tables.DailyCounts}_day ON {tables.DailyCounts} (day)",
            ],
            [
                // When each delivery channel was last used, for the quiet period; NULL for never (or not since version 3).
                // SQLite cannot add a column only if it is missing. These run once all the same: the migration's
                // transaction is BEGIN IMMEDIATE, so no other process migrates between its version check and them.
                $"ALTER TABLE {tables.Groups} ADD COLUMN last_notified_at INTEGER NULL",
                $"ALTER TABLE {tables.Groups} ADD COLUMN last_ticket_update_at INTEGER NULL",
            ],
        ];
    }

    /// <inheritdoc />
    public override string? MigrationLock(SqlTableNames tables) => null;

    /// <inheritdoc />
    public override string UpsertGroup(SqlTableNames tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return $"""
            INSERT INTO {tables.Groups} (hash, exception_name, message, host, path, method, application, count, created_on, last_seen)
            VALUES (@Hash, @ExceptionName, @Message, @Host, @Path, @Method, @Application, @Occurrences, @Timestamp, @Timestamp)
            ON CONFLICT (hash) DO UPDATE SET
                count = {tables.Groups}.count + excluded.count,
                last_seen = max({tables.Groups}.last_seen, excluded.last_seen),
                status = 0
            RETURNING {SqlErrorStore.GroupColumns}
            """;
    }

    /// <inheritdoc />
    public override string Contains(string column, string parameter) => $"instr(lower({column}), lower({parameter})) > 0";

    /// <inheritdoc />
    public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        // WAL lets the dashboard read while the writer writes; the busy timeout lets several processes share a file.
        // secure_delete zeroes what a delete frees, which otherwise stays readable in free space in the file.
        command.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA secure_delete=ON;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies the write-ahead log into the file and empties it, so the log's older copies of the deleted rows go
    /// too. A connection still reading an older snapshot keeps it from finishing: then it waits a moment only,
    /// gives up, and the next delete or sweep tries again.
    /// </summary>
    /// <param name="connection">The open connection that deleted.</param>
    /// <returns>A task that completes when the log is emptied, or when that could not be done now.</returns>
    public override async Task ForgetDeletedAsync(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        // Not cancellable: the delete has committed, and its caller must not see it fail for the cleanup.
        command.CommandText = $"PRAGMA busy_timeout={CheckpointWaitMilliseconds}; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA busy_timeout={BusyTimeoutMilliseconds};";
        try
        {
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (DbException)
        {
            // Best effort, as said: the rows are gone from every table, only old log frames may stay a while longer.
        }
    }
}
