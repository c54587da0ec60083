using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using ErrorTracking.Records;
using ErrorTracking.Storage.Serialization;
using Microsoft.Data.Sqlite;

namespace ErrorTracking.Storage;

/// <summary>
/// An <see cref="IErrorStore"/> over any SQL database Dapper can reach, through a <see cref="SqlDialect"/>: one
/// row per group, one per kept occurrence (the first and the latest N of each group) and one per group and UTC
/// day with occurrences. Counting is one atomic upsert per occurrence, and each batch is one transaction, so
/// counts stay exact however many threads and processes write. Every value is a parameter; table names come only
/// from the validated prefix.
/// </summary>
public sealed class SqlErrorStore : IErrorStore
{
    /// <summary>The group columns, named as <c>GroupRow</c>'s properties.</summary>
    internal const string GroupColumns =
        "hash AS Hash, exception_name AS ExceptionName, message AS Message, host AS Host, path AS Path, method AS Method, "
        + "application AS Application, count AS Count, created_on AS CreatedOn, last_seen AS LastSeen, status AS Status, "
        + "notification_sent AS NotificationSent, ticket_raised AS TicketRaised, last_notified_at AS LastNotifiedAt, "
        + "last_ticket_update_at AS LastTicketUpdateAt, ticket_reference AS TicketReference";

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private const int SweepBatch = 1_000;

    private readonly SqlDialect _dialect;
    private readonly Func<DbConnection> _connect;
    private readonly SqlStoreOptions _options;
    private readonly SqlTableNames _tables;
    private readonly TimeProvider _time;
    private readonly Lock _migrationLock = new();
    private Task? _migrating;
    private readonly string _upsert;
    private readonly string _insertOccurrence;
    private readonly string _trimOccurrences;
    private readonly string _countDay;
    private readonly string _claimNotification;
    private readonly string _claimTicket;
    private volatile bool _migrated;
    private long _lastSweepTicks;

    /// <summary>Creates a store.</summary>
    /// <param name="dialect">The database's dialect.</param>
    /// <param name="connect">Creates a new, closed connection; the store opens and disposes it.</param>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <param name="time">The clock for retention; the system clock when <see langword="null"/>.</param>
    public SqlErrorStore(SqlDialect dialect, Func<DbConnection> connect, SqlStoreOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(connect);
        _dialect = dialect;
        _connect = connect;
        _options = options ?? new SqlStoreOptions();
        _tables = _options.Validate();
        _time = time ?? TimeProvider.System;
        _upsert = dialect.UpsertGroup(_tables);
        _insertOccurrence = $"INSERT INTO {_tables.Occurrences} (group_hash, timestamp, is_first, payload) VALUES (@Hash, @Timestamp, @IsFirst, @Payload)";
        _trimOccurrences = $"""
            DELETE FROM {_tables.Occurrences}
            WHERE group_hash = @Hash AND is_first = {dialect.FalseLiteral} AND id < (
                SELECT id FROM {_tables.Occurrences} WHERE group_hash = @Hash AND is_first = {dialect.FalseLiteral}
                ORDER BY id DESC LIMIT 1 OFFSET @Keep)
            """;
        // Qualified by the table's name, not an alias: the one spelling SQLite and PostgreSQL both accept.
        _countDay = $"""
            INSERT INTO {_tables.DailyCounts} (group_hash, day, count) VALUES (@Hash, @Day, @Occurrences)
            ON CONFLICT (group_hash, day) DO UPDATE SET count = {_tables.DailyCounts}.count + excluded.count
            """;
        _claimNotification = ClaimStatement(_tables, dialect, "notification_sent", "last_notified_at");
        _claimTicket = ClaimStatement(_tables, dialect, "ticket_raised", "last_ticket_update_at");
    }

    /// <summary>A store in an SQLite file (created on first use), e.g. <c>Data Source=errors.db</c>.</summary>
    /// <param name="connectionString">The SQLite connection string.</param>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <returns>The store.</returns>
    public static SqlErrorStore ForSqlite(string connectionString, SqlStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new SqlErrorStore(new SqliteDialect(), () => new SqliteConnection(connectionString), options);
    }

    /// <summary>A store in PostgreSQL, through the application's data source (for example an <c>NpgsqlDataSource</c>).</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <returns>The store.</returns>
    public static SqlErrorStore ForPostgres(DbDataSource dataSource, SqlStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new SqlErrorStore(new PostgresDialect(), dataSource.CreateConnection, options);
    }

    /// <summary>The schema as SQL, for a DBA who creates it by hand (with <see cref="SqlStoreOptions.AutoMigrate"/> off).</summary>
    /// <returns>The statements, separated by semicolons.</returns>
    public string GetSchemaScript()
    {
        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $"CREATE TABLE IF NOT EXISTS {_tables.SchemaVersion} (version integer NOT NULL);\n");
        var version = 0;
        foreach (var migration in _dialect.Migrations(_tables))
        {
            version++;
            foreach (var statement in migration)
            {
                script.Append(statement).Append(";\n");
            }

            script.Append(CultureInfo.InvariantCulture, $"DELETE FROM {_tables.SchemaVersion};\nINSERT INTO {_tables.SchemaVersion} (version) VALUES ({version});\n");
        }

        return script.ToString();
    }

    /// <summary>Creates or migrates the schema; does nothing when it is current. Safe to run from several processes at once.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var migrations = _dialect.Migrations(_tables);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (_dialect.MigrationLock(_tables) is { } lockStatement)
        {
            await connection.ExecuteAsync(Command(lockStatement, null, transaction, cancellationToken)).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(Command($"CREATE TABLE IF NOT EXISTS {_tables.SchemaVersion} (version integer NOT NULL)", null, transaction, cancellationToken))
            .ConfigureAwait(false);
        var current = await connection.ExecuteScalarAsync<int?>(Command($"SELECT max(version) FROM {_tables.SchemaVersion}", null, transaction, cancellationToken))
            .ConfigureAwait(false) ?? 0;
        for (var version = current + 1; version <= migrations.Count; version++)
        {
            foreach (var statement in migrations[version - 1])
            {
                await connection.ExecuteAsync(Command(statement, null, transaction, cancellationToken)).ConfigureAwait(false);
            }
        }

        if (migrations.Count > current)
        {
            await connection.ExecuteAsync(Command($"DELETE FROM {_tables.SchemaVersion}", null, transaction, cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(Command($"INSERT INTO {_tables.SchemaVersion} (version) VALUES (@Version)", new { Version = migrations.Count }, transaction, cancellationToken))
                .ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _migrated = true;
    }

    /// <summary>The schema version the database is at; 0 for an empty database.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The version.</returns>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await connection.ExecuteScalarAsync<int?>(Command($"SELECT max(version) FROM {_tables.SchemaVersion}", null, null, cancellationToken))
                .ConfigureAwait(false) ?? 0;
        }
        catch (DbException)
        {
            return 0;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrences);
        if (occurrences.Count == 0)
        {
            return [];
        }

        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        var results = new ErrorRecord[occurrences.Count];
        await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < occurrences.Count; i++)
            {
                var occurrence = occurrences[i];
                var counted = Counted(occurrence);
                var row = await connection.QuerySingleAsync<GroupRow>(Command(_upsert, new
                {
                    occurrence.Hash,
                    ExceptionName = Clean(occurrence.ExceptionType),
                    Message = Clean(occurrence.Message),
                    Host = Clean(occurrence.Host),
                    Path = Clean(occurrence.Path),
                    Method = Clean(occurrence.Method),
                    Application = occurrence.Application is null ? null : Clean(occurrence.Application),
                    Timestamp = occurrence.Timestamp.UtcTicks,
                    Occurrences = counted,
                }, transaction, cancellationToken)).ConfigureAwait(false);
                results[i] = row.ToRecord();
                await connection.ExecuteAsync(Command(_insertOccurrence, new
                {
                    occurrence.Hash,
                    Timestamp = occurrence.Timestamp.UtcTicks,
                    IsFirst = row.Count == counted,
                    Payload = Serialize(occurrence),
                }, transaction, cancellationToken)).ConfigureAwait(false);
            }

            foreach (var hash in occurrences.Select(o => o.Hash).Distinct(StringComparer.Ordinal))
            {
                await connection.ExecuteAsync(Command(_trimOccurrences, new { Hash = hash, Keep = _options.OccurrencesPerGroup - 1 }, transaction, cancellationToken))
                    .ConfigureAwait(false);
            }

            // One upsert per group and day rather than per occurrence: a burst is mostly one group on one day. The
            // group rows are locked above, so two batches cannot wait on each other's day rows.
            var days = occurrences.GroupBy(o => (o.Hash, Day: DayOf(o.Timestamp)))
                .Select(d => new { d.Key.Hash, d.Key.Day, Occurrences = d.Sum(Counted) });
            foreach (var day in days)
            {
                await connection.ExecuteAsync(Command(_countDay, day, transaction, cancellationToken)).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (SweepDue())
        {
            try
            {
                await SweepAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The batch is committed: a failed sweep must not make it look unsaved (the writer would store it
                // again and count it twice). The next sweep, a minute on, deletes what this one did not.
            }
        }

        return results;
    }

    /// <inheritdoc />
    public async Task<ErrorRecordDetail?> GetAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<GroupRow>(
            Command($"SELECT {GroupColumns} FROM {_tables.Groups} WHERE hash = @Hash", new { Hash = hash }, null, cancellationToken)).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var payloads = (await connection.QueryAsync<string>(Command($"""
            SELECT payload FROM (SELECT payload, id FROM {_tables.Occurrences} WHERE group_hash = @Hash ORDER BY is_first DESC, id ASC LIMIT 1) f
            UNION ALL
            SELECT payload FROM (SELECT payload, id FROM {_tables.Occurrences} WHERE group_hash = @Hash ORDER BY id DESC LIMIT 1) l
            """, new { Hash = hash }, null, cancellationToken)).ConfigureAwait(false)).ToList();
        if (payloads.Count == 0)
        {
            return null;
        }

        var first = Deserialize(payloads[0]);
        var latest = payloads.Count > 1 ? Deserialize(payloads[1]) : first;
        return new ErrorRecordDetail(row.ToRecord(), first, latest);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ErrorEvent>> ListOccurrencesAsync(string hash, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var payloads = await connection.QueryAsync<string>(Command(
            $"SELECT payload FROM {_tables.Occurrences} WHERE group_hash = @Hash ORDER BY id DESC LIMIT @Limit",
            new { Hash = hash, Limit = limit }, null, cancellationToken)).ConfigureAwait(false);
        return payloads.Select(Deserialize).ToList();
    }

    /// <inheritdoc />
    /// <remarks>
    /// Days are counted from schema version 2 on. A group stored before it has no days: version 1 kept only its
    /// total, and spreading that over days (or putting it all on its last seen day) would chart a history that
    /// never happened.
    /// </remarks>
    public async Task<IReadOnlyList<DailyCount>> CountByDayAsync(IReadOnlyCollection<string> hashes, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count == 0)
        {
            return [];
        }

        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<DailyCountRow>(Command($"""
            SELECT group_hash AS Hash, day AS Day, count AS Count FROM {_tables.DailyCounts}
            WHERE {_dialect.IsAnyOf("group_hash", "@Hashes")} AND day BETWEEN @FirstDay AND @LastDay
            """, new { Hashes = hashes.Distinct(StringComparer.Ordinal).ToArray(), FirstDay = firstDay.DayNumber, LastDay = lastDay.DayNumber },
            null, cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new DailyCount(r.Hash, DateOnly.FromDayNumber((int)r.Day), r.Count)).ToList();
    }

    /// <inheritdoc />
    public async Task<ErrorPage> ListAsync(ErrorQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        var (where, parameters) = Filter(query);
        parameters.Add("Limit", query.PageSize);
        parameters.Add("Offset", (long)(query.Page - 1) * query.PageSize);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<long>(Command($"SELECT COUNT(*) FROM {_tables.Groups}{where}", parameters, null, cancellationToken))
            .ConfigureAwait(false);
        var rows = await connection.QueryAsync<GroupRow>(Command(
            $"SELECT {GroupColumns} FROM {_tables.Groups}{where} ORDER BY last_seen DESC, hash ASC LIMIT @Limit OFFSET @Offset",
            parameters, null, cancellationToken)).ConfigureAwait(false);
        return new ErrorPage(rows.Select(r => r.ToRecord()).ToList(), query.Page, query.PageSize, total);
    }

    /// <inheritdoc />
    public async Task<bool> UpdateAsync(string hash, ErrorRecordUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(update);
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        // Resolving re-arms both delivery channels, so that a regression is announced; a flag the same update sets
        // explicitly wins. Decided here, so that the statement stays one COALESCE per column.
        var resolving = update.Status == ErrorStatus.Resolved;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var changed = await connection.ExecuteAsync(Command($"""
            UPDATE {_tables.Groups} SET
                status = COALESCE(@Status, status),
                notification_sent = COALESCE(@NotificationSent, notification_sent),
                ticket_raised = COALESCE(@TicketRaised, ticket_raised),
                ticket_reference = COALESCE(@TicketReference, ticket_reference)
            WHERE hash = @Hash
            """, new
            {
                Hash = hash,
                Status = (int?)update.Status,
                NotificationSent = update.NotificationSent ?? (resolving ? false : null),
                TicketRaised = update.TicketRaised ?? (resolving ? false : null),
                TicketReference = update.TicketReference is { } reference ? Clean(reference) : null,
            }, null, cancellationToken))
            .ConfigureAwait(false);
        return changed > 0;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One conditional <c>UPDATE</c> outside any transaction, and a row changed means claimed. Under PostgreSQL's
    /// READ COMMITTED a second claimer of the same group waits for the first one's row lock and then evaluates the
    /// condition again against the row the first one wrote, so it finds the channel taken; SQLite runs one writer at
    /// a time, so the second one reads the row only after the first one committed. A delivery recorded without a
    /// time (a flag set through <see cref="UpdateAsync"/>, or before schema version 3) is not repeated, as in
    /// <see cref="InMemoryErrorStore"/>: a NULL time is never at or before the cutoff.
    /// </remarks>
    public async Task<bool> TryClaimDeliveryAsync(string hash, DeliveryChannel channel, DateTimeOffset now, TimeSpan? repeatAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var claim = channel switch
        {
            DeliveryChannel.Notification => _claimNotification,
            DeliveryChannel.Ticket => _claimTicket,
            _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Not a delivery channel."),
        };
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var claimed = await connection.ExecuteAsync(Command(claim, new
        {
            Hash = hash,
            Now = now.UtcTicks,
            Repeat = repeatAfter.HasValue,
            Cutoff = repeatAfter is { } quiet ? Cutoff(now, quiet) : 0L,
        }, null, cancellationToken)).ConfigureAwait(false);
        return claimed == 1;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await DeleteGroupAsync(connection, hash, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            await _dialect.ForgetDeletedAsync(connection).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>
    /// Applies retention in small batches: drops occurrences older than <see cref="SqlStoreOptions.OccurrenceRetention"/>
    /// (a group's first one stays) with the daily counts of days before it, and groups past
    /// <see cref="SqlStoreOptions.MaxGroups"/>, least recently seen first.
    /// Runs by itself at most once a minute after a save, on the background writer.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many occurrences and groups were deleted.</returns>
    public async Task<(long Occurrences, long Groups)> SweepAsync(CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastSweepTicks, _time.GetUtcNow().UtcTicks);
        long occurrences = 0, groups = 0;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (_options.OccurrenceRetention is { } retention)
        {
            var cutoff = _time.GetUtcNow() - retention;
            int deleted;
            do
            {
                deleted = await connection.ExecuteAsync(Command($"""
                    DELETE FROM {_tables.Occurrences} WHERE id IN (
                        SELECT id FROM {_tables.Occurrences} WHERE timestamp < @Cutoff AND is_first = {_dialect.FalseLiteral} LIMIT @Batch)
                    """, new { Cutoff = cutoff.UtcTicks, Batch = SweepBatch }, null, cancellationToken)).ConfigureAwait(false);
                occurrences += deleted;
            }
            while (deleted == SweepBatch);

            // A day at a time, oldest first, so that no one statement holds the writers up for long.
            do
            {
                deleted = await connection.ExecuteAsync(Command($"""
                    DELETE FROM {_tables.DailyCounts}
                    WHERE day = (SELECT min(day) FROM {_tables.DailyCounts}) AND day < @CutoffDay
                    """, new { CutoffDay = DayOf(cutoff) }, null, cancellationToken)).ConfigureAwait(false);
            }
            while (deleted > 0);
        }

        if (_options.MaxGroups is { } maxGroups)
        {
            while (true)
            {
                var excess = (await connection.QueryAsync<string>(Command($"""
                    SELECT hash FROM {_tables.Groups} ORDER BY last_seen DESC, hash ASC LIMIT @Batch OFFSET @Keep
                    """, new { Keep = maxGroups, Batch = SweepBatch }, null, cancellationToken)).ConfigureAwait(false)).ToList();
                if (excess.Count == 0)
                {
                    break;
                }

                foreach (var hash in excess)
                {
                    if (await DeleteGroupAsync(connection, hash, cancellationToken).ConfigureAwait(false))
                    {
                        groups++;
                    }
                }
            }
        }

        if (occurrences + groups > 0)
        {
            await _dialect.ForgetDeletedAsync(connection).ConfigureAwait(false);
        }

        return (occurrences, groups);
    }

    /// <summary>Deletes a group with its occurrences and daily counts, in one transaction.</summary>
    private async Task<bool> DeleteGroupAsync(DbConnection connection, string hash, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The group row first: a save locks it before its occurrence and day rows, so taking it first makes a
        // delete and a save of the same group take turns instead of each waiting for the other's rows.
        var deleted = await connection.ExecuteAsync(Command($"DELETE FROM {_tables.Groups} WHERE hash = @Hash", new { Hash = hash }, transaction, cancellationToken))
            .ConfigureAwait(false);
        foreach (var table in new[] { _tables.Occurrences, _tables.DailyCounts })
        {
            await connection.ExecuteAsync(Command($"DELETE FROM {table} WHERE group_hash = @Hash", new { Hash = hash }, transaction, cancellationToken))
                .ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted > 0;
    }

    private (string Where, DynamicParameters Parameters) Filter(ErrorQuery query)
    {
        var clauses = new List<string>();
        var parameters = new DynamicParameters();
        void ContainsFilter(string column, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                clauses.Add(_dialect.Contains(column, "@" + name));
                parameters.Add(name, Clean(value));
            }
        }

        ContainsFilter("host", "Host", query.Host);
        ContainsFilter("path", "Path", query.Path);
        ContainsFilter("exception_name", "ExceptionName", query.ExceptionName);
        if (!string.IsNullOrEmpty(query.Method))
        {
            clauses.Add("lower(method) = lower(@Method)");
            parameters.Add("Method", Clean(query.Method));
        }

        if (query.Status is { } status)
        {
            clauses.Add("status = @Status");
            parameters.Add("Status", (int)status);
        }

        if (!string.IsNullOrEmpty(query.Search))
        {
            clauses.Add($"({_dialect.Contains("message", "@Search")} OR {_dialect.Contains("path", "@Search")} OR {_dialect.Contains("exception_name", "@Search")})");
            parameters.Add("Search", Clean(query.Search));
        }

        if (query.From is { } from)
        {
            clauses.Add("last_seen >= @From");
            parameters.Add("From", from.UtcTicks);
        }

        if (query.To is { } to)
        {
            clauses.Add("last_seen < @To");
            parameters.Add("To", to.UtcTicks);
        }

        return (clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses), parameters);
    }

    private bool SweepDue()
    {
        if (_options.OccurrenceRetention is null && _options.MaxGroups is null)
        {
            return false;
        }

        var last = Interlocked.Read(ref _lastSweepTicks);
        return _time.GetUtcNow().UtcTicks - last >= SweepInterval.Ticks;
    }

    private async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        if (_migrated || !_options.AutoMigrate)
        {
            return;
        }

        Task migrating;
        lock (_migrationLock)
        {
            // One migration for all callers; a failed one is retried by the next caller (the database may be back).
            migrating = _migrating is { IsFaulted: false, IsCanceled: false } running ? running : _migrating = MigrateAsync(CancellationToken.None);
        }

        await migrating.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = _connect();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await _dialect.PrepareAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The claim of one delivery channel, whose flag and last time columns are named here, never by a caller:
    /// free when not delivered since created or resolved, or, with <c>@Repeat</c>, when last delivered at or
    /// before <c>@Cutoff</c> or at an unknown time (flagged by schema version 2 or by hand).
    /// </summary>
    private static string ClaimStatement(SqlTableNames tables, SqlDialect dialect, string flag, string lastAt) => $"""
        UPDATE {tables.Groups} SET {flag} = {dialect.TrueLiteral}, {lastAt} = @Now
        WHERE hash = @Hash AND ({flag} = {dialect.FalseLiteral} OR (@Repeat AND ({lastAt} IS NULL OR {lastAt} <= @Cutoff)))
        """;

    /// <summary>
    /// <paramref name="now"/> less the quiet period, in UTC ticks, held within <see cref="long"/>: a quiet period
    /// longer than the calendar reaches back before any delivery, where <see cref="DateTimeOffset"/> would throw.
    /// </summary>
    private static long Cutoff(DateTimeOffset now, TimeSpan quiet) =>
        (long)Int128.Clamp((Int128)now.UtcTicks - quiet.Ticks, long.MinValue, long.MaxValue);

    /// <summary>What an occurrence adds to its group's count and its day's: at least one, whatever it claims.</summary>
    private static long Counted(ErrorEvent occurrence) => Math.Max(1, occurrence.Occurrences);

    private static int DayOf(DateTimeOffset timestamp) => DateOnly.FromDateTime(timestamp.UtcDateTime).DayNumber;

    private string Clean(string text) => _dialect.Storable(TextSafety.ReplaceLoneSurrogates(text));

    private string Serialize(ErrorEvent occurrence) => _dialect.Storable(JsonSerializer.Serialize(occurrence, OccurrenceJson.Default.ErrorEvent));

    private static ErrorEvent Deserialize(string payload) =>
        JsonSerializer.Deserialize(payload, OccurrenceJson.Default.ErrorEvent)
        ?? throw new InvalidDataException("An occurrence's payload was empty.");

    private static CommandDefinition Command(string sql, object? parameters, DbTransaction? transaction, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);

    /// <summary>A row of the daily counts table as Dapper reads it; <c>Day</c> is a <see cref="DateOnly.DayNumber"/>.</summary>
    private sealed class DailyCountRow
    {
        public string Hash { get; set; } = "";

        public long Day { get; set; }

        public long Count { get; set; }
    }
}
