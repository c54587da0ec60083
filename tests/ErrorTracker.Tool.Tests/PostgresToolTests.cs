using System.Text.Json;
using ErrorTracking.Storage;
using ErrorTracking.Storage.Tests.Support;
using ErrorTracking.Tool.Tests.Support;
using Npgsql;

namespace ErrorTracking.Tool.Tests;

/// <summary>The tool against PostgreSQL, filled by the libraries; ignored without the server programs, failing under CI=true.</summary>
public sealed class PostgresToolTests
{
    private static string s_connectionString = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public static async Task Fill()
    {
        var server = await PostgresServer.RequireAsync();
        s_connectionString = await server.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(s_connectionString);
        await Databases.FillAsync(o => o.UsePostgres(dataSource), SqlErrorStore.ForPostgres(dataSource));
    }

    [OneTimeTearDown]
    public static async Task StopServer() => await PostgresServer.StopAsync();

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "errortracker-tool", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task List_show_and_resolve_work_on_postgres()
    {
        var list = await ToolProcess.RunAsync(_folder, "list", "--postgres", s_connectionString, "--json");
        list.ExitCode.Should().Be(0, list.Errors);
        using var json = JsonDocument.Parse(list.Output);
        json.RootElement.GetProperty("totalCount").GetInt64().Should().Be(5);
        var hash = json.RootElement.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("exceptionName").GetString() == "System.InvalidOperationException").GetProperty("hash").GetString()!;

        var table = await ToolProcess.RunAsync(_folder, "list", "--postgres", s_connectionString, "--exception", "Timeout");
        table.Output.Should().Contain("ancient timeout").And.Contain("(1 group)");

        var show = await ToolProcess.RunAsync(_folder, "show", hash[..7], "--postgres", s_connectionString);
        show.ExitCode.Should().Be(0, show.Errors);
        show.Output.Should().StartWith("System.InvalidOperationException: The payment provider acme-pay refused order 42.")
            .And.Contain("PlaceOrder").And.Contain("orderId");

        var ambiguous = await ToolProcess.RunAsync(_folder, "show", "abcdef01", "--postgres", s_connectionString);
        ambiguous.ExitCode.Should().Be(2);
        ambiguous.Errors.Should().Contain("ambiguous");

        var fromEnvironment = await ToolProcess.RunAsync(_folder, new Dictionary<string, string> { ["ErrorTracker__Storage__Postgres"] = s_connectionString }, "resolve", hash);
        fromEnvironment.ExitCode.Should().Be(0, fromEnvironment.Errors);
        (await ToolProcess.RunAsync(_folder, "list", "--postgres", s_connectionString, "--status", "resolved")).Output.Should().Contain(hash[..12]);

        var stats = await ToolProcess.RunAsync(_folder, "stats", "--postgres", s_connectionString);
        stats.Output.Should().Contain("Groups:       5 (4 unresolved, 1 resolved)").And.Contain("Occurrences:  6");
    }

    [Test]
    public async Task A_wrong_password_is_one_line_and_exit_code_three()
    {
        var wrong = new NpgsqlConnectionStringBuilder(s_connectionString) { Password = "wrong-" + Guid.NewGuid().ToString("N"), Username = "nobody_here" };

        var result = await ToolProcess.RunAsync(_folder, "list", "--postgres", wrong.ConnectionString);

        result.ExitCode.Should().Be(3);
        result.Errors.Trim().Should().StartWith("errortracker: database error:").And.NotContain("\n");
        result.Errors.Should().NotContain(wrong.Password!);
    }
}
