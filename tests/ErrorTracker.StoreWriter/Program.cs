using ErrorTracking.Storage;
using ErrorTracking.Testing;
using Npgsql;

// Usage: ErrorTracker.StoreWriter sqlite|postgres <connection string> <hash name> <count>
//        ErrorTracker.StoreWriter lock <sqlite connection string>: holds an exclusive lock until standard input closes
if (args is ["lock", var database])
{
    await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(database);
    await connection.OpenAsync();
    await using (var command = connection.CreateCommand())
    {
        command.CommandText = "BEGIN EXCLUSIVE";
        await command.ExecuteNonQueryAsync();
    }

    Console.WriteLine("locked");
    await Console.In.ReadToEndAsync();
    return 0;
}

if (args.Length != 4 || !int.TryParse(args[3], out var count))
{
    Console.Error.WriteLine("usage: ErrorTracker.StoreWriter sqlite|postgres <connection string> <hash name> <count>");
    return 2;
}

await using var dataSource = args[0] == "postgres" ? NpgsqlDataSource.Create(args[1]) : null;
var store = dataSource is null ? SqlErrorStore.ForSqlite(args[1]) : SqlErrorStore.ForPostgres(dataSource);
var hash = TestEvents.HashOf(args[2]);
Console.WriteLine("ready");
for (var i = 0; i < count; i++)
{
    await store.SaveAsync([TestEvents.Occurrence(hash, DateTimeOffset.UtcNow, message: $"from process {Environment.ProcessId}")], CancellationToken.None);
}

return 0;
