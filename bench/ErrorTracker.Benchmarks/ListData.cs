using System.Diagnostics;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace ErrorTracking.Benchmarks;

/// <summary>
/// The pre-filled data set of the list benchmarks: <see cref="Groups"/> groups of <see cref="PerGroup"/> occurrences each
/// (10 is under the 20 the store keeps, so the rows are exactly what the store would hold after those writes). It is
/// written straight into the tables the store's own migration created, since a million upserts through SaveAsync would
/// take longer than the benchmarks. A marker table records a finished fill, so later benchmark processes reuse it.
/// </summary>
internal static class ListData
{
    public const int Groups = 100_000;
    public const int PerGroup = 10;
    private const string Marker = "bench_list_dataset";
    private const string Template = "bench-template";

    /// <summary>The timestamp of occurrence <paramref name="k"/> of group <paramref name="index"/>: ten seconds per group, so last_seen is unique.</summary>
    public static long Ticks(int index, int k) => Occurrences.Epoch.AddSeconds(index * 10.0 + k).UtcTicks;

    public static void FillInMemory(InMemoryErrorStore store)
    {
        // Shared across groups: the store keeps the event object, and a million distinct exception trees would only
        // measure the GC. The hash, path and timestamp that the queries look at are per group.
        var shape = Occurrences.Create(0, Occurrences.Epoch);
        var batch = new List<ErrorEvent>(PerGroup * 1_000);
        for (var i = 0; i < Groups; i++)
        {
            var (exceptionType, message, host, path, method) = Occurrences.Describe(i);
            var group = shape with { Hash = Occurrences.HashOf(i), ExceptionType = exceptionType, Message = message, Host = host, Path = path, Method = method };
            for (var k = 0; k < PerGroup; k++)
            {
                batch.Add(group with { Timestamp = new DateTimeOffset(Ticks(i, k), TimeSpan.Zero) });
            }

            if (batch.Count == batch.Capacity)
            {
                store.SaveAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
                batch.Clear();
            }
        }

        store.SaveAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
    }

    public static async Task FillSqliteAsync(string connectionString, SqlErrorStore store)
    {
        await store.MigrateAsync(CancellationToken.None);
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        if (await MarkedAsync(connection))
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var payload = await TemplatePayloadAsync(store, connection);
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            await using var group = connection.CreateCommand();
            group.Transaction = transaction;
            group.CommandText = """
                INSERT INTO errortracker_groups (hash, exception_name, message, host, path, method, application, count, created_on, last_seen)
                VALUES ($hash, $type, $message, $host, $path, $method, NULL, $count, $created, $last)
                """;
            var groupParameters = new[] { "$hash", "$type", "$message", "$host", "$path", "$method", "$count", "$created", "$last" }
                .Select(name => group.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            await using var occurrence = connection.CreateCommand();
            occurrence.Transaction = transaction;
            occurrence.CommandText = "INSERT INTO errortracker_occurrences (group_hash, timestamp, is_first, payload) VALUES ($hash, $timestamp, $first, $payload)";
            var occurrenceParameters = new[] { "$hash", "$timestamp", "$first", "$payload" }
                .Select(name => occurrence.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            for (var i = 0; i < Groups; i++)
            {
                var hash = Occurrences.HashOf(i);
                var (exceptionType, message, host, path, method) = Occurrences.Describe(i);
                object[] values = [hash, exceptionType, message, host, path, method, PerGroup, Ticks(i, 0), Ticks(i, PerGroup - 1)];
                for (var p = 0; p < values.Length; p++)
                {
                    groupParameters[p].Value = values[p];
                }

                await group.ExecuteNonQueryAsync();
                var groupPayload = payload.Replace(Template, hash, StringComparison.Ordinal);
                for (var k = 0; k < PerGroup; k++)
                {
                    occurrenceParameters[0].Value = hash;
                    occurrenceParameters[1].Value = Ticks(i, k);
                    occurrenceParameters[2].Value = k == 0;
                    occurrenceParameters[3].Value = groupPayload;
                    await occurrence.ExecuteNonQueryAsync();
                }
            }

            await transaction.CommitAsync();
        }

        // Fold the fill out of the WAL now, so no benchmark iteration pays for the checkpoint.
        await ExecuteAsync(connection, $"PRAGMA wal_checkpoint(TRUNCATE); CREATE TABLE {Marker} (group_count INTEGER, occurrence_count INTEGER); INSERT INTO {Marker} VALUES ({Groups}, {Groups * PerGroup})");
        await Console.Out.WriteLineAsync($"// Filled SQLite with {Groups:N0} groups / {Groups * PerGroup:N0} occurrences in {clock.Elapsed.TotalSeconds:F1} s");
    }

    public static async Task FillPostgresAsync(string connectionString, SqlErrorStore store)
    {
        await store.MigrateAsync(CancellationToken.None);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        if (await MarkedAsync(connection))
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var payload = await TemplatePayloadAsync(store, connection);
        // COPY is PostgreSQL's bulk path; it goes through the same WAL and indexes as inserts, with default durability.
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY errortracker_groups (hash, exception_name, message, host, path, method, count, created_on, last_seen) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < Groups; i++)
            {
                var (exceptionType, message, host, path, method) = Occurrences.Describe(i);
                await importer.StartRowAsync();
                await importer.WriteAsync(Occurrences.HashOf(i), NpgsqlDbType.Varchar);
                await importer.WriteAsync(exceptionType, NpgsqlDbType.Text);
                await importer.WriteAsync(message, NpgsqlDbType.Text);
                await importer.WriteAsync(host, NpgsqlDbType.Text);
                await importer.WriteAsync(path, NpgsqlDbType.Text);
                await importer.WriteAsync(method, NpgsqlDbType.Text);
                await importer.WriteAsync((long)PerGroup, NpgsqlDbType.Bigint);
                await importer.WriteAsync(Ticks(i, 0), NpgsqlDbType.Bigint);
                await importer.WriteAsync(Ticks(i, PerGroup - 1), NpgsqlDbType.Bigint);
            }

            await importer.CompleteAsync();
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY errortracker_occurrences (group_hash, timestamp, is_first, payload) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < Groups; i++)
            {
                var hash = Occurrences.HashOf(i);
                var groupPayload = payload.Replace(Template, hash, StringComparison.Ordinal);
                for (var k = 0; k < PerGroup; k++)
                {
                    await importer.StartRowAsync();
                    await importer.WriteAsync(hash, NpgsqlDbType.Varchar);
                    await importer.WriteAsync(Ticks(i, k), NpgsqlDbType.Bigint);
                    await importer.WriteAsync(k == 0, NpgsqlDbType.Boolean);
                    await importer.WriteAsync(groupPayload, NpgsqlDbType.Text);
                }
            }

            await importer.CompleteAsync();
        }

        // Autovacuum would get here on its own a little later; doing it now gives every benchmark process the same
        // planner statistics and visibility map instead of whatever state autovacuum happened to be in.
        // VACUUM refuses to run in a transaction, which a multi-statement command implicitly is, hence one call each.
        await ExecuteAsync(connection, "VACUUM ANALYZE errortracker_groups");
        await ExecuteAsync(connection, "VACUUM ANALYZE errortracker_occurrences");
        await ExecuteAsync(connection, $"CREATE TABLE {Marker} (group_count integer, occurrence_count integer); INSERT INTO {Marker} VALUES ({Groups}, {Groups * PerGroup})");
        await Console.Out.WriteLineAsync($"// Filled PostgreSQL with {Groups:N0} groups / {Groups * PerGroup:N0} occurrences in {clock.Elapsed.TotalSeconds:F1} s");
    }

    // The payload is whatever the store itself serializes for an occurrence, so GetAsync deserializes a real one;
    // saving a template through the store and reading it back avoids depending on the store's internal serializer.
    private static async Task<string> TemplatePayloadAsync(SqlErrorStore store, System.Data.Common.DbConnection connection)
    {
        await store.SaveAsync([Occurrences.Create(0, Occurrences.Epoch) with { Hash = Template }], CancellationToken.None);
        await using var read = connection.CreateCommand();
        read.CommandText = $"SELECT payload FROM errortracker_occurrences WHERE group_hash = '{Template}'";
        var payload = (string?)await read.ExecuteScalarAsync() ?? throw new InvalidOperationException("The template occurrence was not stored.");
        await ExecuteAsync(connection, $"DELETE FROM errortracker_occurrences WHERE group_hash = '{Template}'; DELETE FROM errortracker_groups WHERE hash = '{Template}'");
        return payload;
    }

    private static async Task<bool> MarkedAsync(System.Data.Common.DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT group_count FROM {Marker}";
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == Groups;
        }
        catch (System.Data.Common.DbException)
        {
            return false;
        }
    }

    private static async Task ExecuteAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
