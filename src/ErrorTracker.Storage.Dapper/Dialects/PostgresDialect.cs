using System.Text;

namespace ErrorTracking.Storage;

/// <summary>PostgreSQL: the store for applications on several servers, all writing to one database.</summary>
public sealed class PostgresDialect : SqlDialect
{
    /// <inheritdoc />
    public override string Name => "PostgreSQL";

    /// <inheritdoc />
    public override string FalseLiteral => "false";

    /// <inheritdoc />
    public override string TrueLiteral => "true";

    /// <inheritdoc />
    public override IReadOnlyList<IReadOnlyList<string>> Migrations(SqlTableNames tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return
        [
            [
                $"""
                CREATE TABLE IF NOT EXISTS {tables.Groups} (
                    hash varchar(64) NOT NULL PRIMARY KEY,
                    exception_name text NOT NULL,
                    message text NOT NULL,
                    host text NOT NULL,
                    path text NOT NULL,
                    method text NOT NULL,
                    application text NULL,
                    count bigint NOT NULL,
                    created_on bigint NOT NULL,
                    last_seen bigint NOT NULL,
                    status integer NOT NULL DEFAULT 0,
                    notification_sent boolean NOT NULL DEFAULT false,
                    ticket_raised boolean NOT NULL DEFAULT false,
                    ticket_reference text NULL)
                """,
                $"CREATE INDEX IF NOT EXISTS {tables.Groups}_last_seen ON {tables.Groups} (last_seen DESC, hash)",
                $"CREATE INDEX IF NOT EXISTS {tables.Groups}_status ON {tables.Groups} (status, last_seen DESC)",
                $"""
                CREATE TABLE IF NOT EXISTS {tables.Occurrences} (
                    id bigserial PRIMARY KEY,
                    group_hash varchar(64) NOT NULL,
                    timestamp bigint NOT NULL,
                    is_first boolean NOT NULL,
                    payload text NOT NULL)
                """,
                $"CREATE INDEX IF NOT EXISTS {tables.Occurrences}_group ON {tables.Occurrences} (group_hash, id)",
                $"CREATE INDEX IF NOT EXISTS {tables.Occurrences}_timestamp ON {tables.Occurrences} (timestamp)",
            ],
            [
                // day is DateOnly.DayNumber. Groups from version 1 get no rows: see SqlErrorStore.CountByDayAsync.
                $"""
                CREATE TABLE IF NOT EXISTS {tables.DailyCounts} (
                    group_hash varchar(64) NOT NULL,
                    day integer NOT NULL,
                    count bigint NOT NULL,
                    PRIMARY KEY (group_hash, day))
                """,
                $"CREATE INDEX IF NOT EXISTS {tables.DailyCounts}_day ON {tables.DailyCounts} (day)",
            ],
            [
                // When each delivery channel was last used, for the quiet period; NULL for never (or not since version 3).
                $"""
                ALTER TABLE {tables.Groups}
                    ADD COLUMN IF NOT EXISTS last_notified_at bigint NULL,
                    ADD COLUMN IF NOT EXISTS last_ticket_update_at bigint NULL
                """,
            ],
        ];
    }

    /// <inheritdoc />
    public override string? MigrationLock(SqlTableNames tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        // A transaction-scoped advisory lock keyed by the table prefix: two instances starting together take turns.
        return $"SELECT pg_advisory_xact_lock(hashtext('{tables.Prefix}schema'))";
    }

    /// <inheritdoc />
    public override string UpsertGroup(SqlTableNames tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return $"""
            INSERT INTO {tables.Groups} AS g (hash, exception_name, message, host, path, method, application, count, created_on, last_seen)
            VALUES (@Hash, @ExceptionName, @Message, @Host, @Path, @Method, @Application, @Occurrences, @Timestamp, @Timestamp)
            ON CONFLICT (hash) DO UPDATE SET
                count = g.count + excluded.count,
                last_seen = GREATEST(g.last_seen, excluded.last_seen),
                status = 0
            RETURNING {SqlErrorStore.GroupColumns}
            """;
    }

    /// <inheritdoc />
    public override string Contains(string column, string parameter) => $"strpos(lower({column}), lower({parameter})) > 0";

    /// <inheritdoc />
    /// <remarks>Dapper passes a list to Npgsql as one array parameter, which <c>IN</c> cannot take.</remarks>
    public override string IsAnyOf(string column, string parameter) => $"{column} = ANY({parameter})";

    /// <summary>PostgreSQL text cannot hold NUL characters; each becomes U+2400 (the symbol for NUL).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text without NUL characters.</returns>
    public override string Storable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('\0', StringComparison.Ordinal) ? new StringBuilder(text).Replace('\0', '\u2400').ToString() : text;
    }
}
