using Npgsql;

namespace ErrorTracking.Storage.Tests.Support;

public sealed class PostgresServerTests
{
    [Test]
    public async Task A_fresh_database_answers_select_version()
    {
        var server = await PostgresServer.RequireAsync();
        var connectionString = await server.CreateDatabaseAsync();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select version(), current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();

        reader.GetString(0).Should().StartWith("PostgreSQL ");
        reader.GetString(1).Should().Be(new NpgsqlConnectionStringBuilder(connectionString).Database);
    }

    // Stopping the shared server would break any test running alongside this one.
    [Test, NonParallelizable]
    public async Task Connections_fail_while_the_server_is_stopped_and_find_the_same_data_after_it_is_started()
    {
        var server = await PostgresServer.RequireAsync();
        var connectionString = await server.CreateDatabaseAsync();
        await ExecuteAsync(connectionString, "create table survivor (id int); insert into survivor values (42)");

        try
        {
            await server.StopServerAsync();

            var open = () => ExecuteAsync(connectionString, "select 1");
            await open.Should().ThrowAsync<NpgsqlException>();
        }
        finally
        {
            // Restarting even when the assertion failed keeps the outage from spilling into later tests.
            await server.StartServerAsync();
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select id from survivor", connection);
        (await command.ExecuteScalarAsync()).Should().Be(42);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
