using System.Text.Json;
using ErrorTracking.Storage;
using ErrorTracking.Tool.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ErrorTracking.Tool.Tests;

/// <summary>Every command of the tool, run as a process against an SQLite file filled by the libraries.</summary>
[Parallelizable(ParallelScope.Children)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class SqliteToolTests
{
    private static string s_template = null!;
    private string _folder = null!;

    private string Db => Path.Combine(_folder, "errors.db");

    [OneTimeSetUp]
    public static async Task FillTemplate()
    {
        var folder = ToolFolder.Create("template-");
        s_template = Path.Combine(folder, "errors.db");
        var connection = $"Data Source={s_template}";
        await Databases.FillAsync(o => o.UseSqlite(connection), SqlErrorStore.ForSqlite(connection));
        SqliteConnection.ClearAllPools();
    }

    [OneTimeTearDown]
    public static void RemoveTemplate() => Directory.Delete(Path.GetDirectoryName(s_template)!, recursive: true);

    [SetUp]
    public void CopyDatabase()
    {
        _folder = ToolFolder.Create();
        File.Copy(s_template, Db);
    }

    [TearDown]
    public void RemoveFolder() => ToolFolder.Remove(_folder);

    private Task<ToolResult> Run(params string[] arguments) => ToolProcess.RunAsync(_folder, arguments);

    private async Task<string> HashOf(string exceptionName)
    {
        var page = await SqlErrorStore.ForSqlite($"Data Source={Db}").ListAsync(new ErrorQuery { ExceptionName = exceptionName }, CancellationToken.None);
        SqliteConnection.ClearAllPools();
        return page.Items.Should().ContainSingle().Subject.Hash;
    }

    [Test]
    public async Task List_prints_an_aligned_table_without_colour_when_redirected()
    {
        var result = await Run("list", "--db", Db);

        result.ExitCode.Should().Be(0, result.Errors);
        result.Errors.Should().BeEmpty();
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        lines[0].Should().StartWith("HASH").And.Contain("STATUS").And.Contain("COUNT").And.Contain("EXCEPTION").And.Contain("MESSAGE");
        result.Output.Should().Contain("System.InvalidOperationException").And.Contain("System.ArgumentOutOfRangeException")
            .And.Contain("System.TimeoutException").And.Contain("Page 1 of 1 (5 groups)");
        result.Output.Should().NotContain("\u001b[");
        // Aligned: the status column starts at the same place on every row.
        var statusColumn = lines[0].IndexOf("STATUS", StringComparison.Ordinal);
        lines.Skip(1).Take(5).Should().OnlyContain(l => l.Substring(statusColumn, 4) == "open");
    }

    [Test]
    public async Task List_filters_and_pages_like_the_dashboard_and_writes_json_for_scripts()
    {
        var byException = await Run("list", "--db", Db, "--exception", "ArgumentOutOfRange", "--json");
        byException.ExitCode.Should().Be(0, byException.Errors);
        using (var json = JsonDocument.Parse(byException.Output))
        {
            json.RootElement.GetProperty("totalCount").GetInt64().Should().Be(1);
            var item = json.RootElement.GetProperty("items")[0];
            item.GetProperty("exceptionName").GetString().Should().Be("System.ArgumentOutOfRangeException");
            item.GetProperty("count").GetInt64().Should().Be(2);
            item.GetProperty("status").GetString().Should().Be("unresolved");
        }

        (await Run("list", "--db", Db, "-q", "acme-pay")).Output.Should().Contain("InvalidOperationException").And.Contain("1 group)");
        (await Run("list", "--db", Db, "--method", "GET", "--path", "/twins", "--json")).Output.Should().Contain("\"totalCount\": 2");
        (await Run("list", "--db", Db, "--status", "resolved")).Output.Should().Contain("No errors recorded match these filters.");
        var paged = await Run("list", "--db", Db, "--page-size", "2", "--page", "2");
        paged.Output.Should().Contain("Page 2 of 3 (5 groups); next: --page 3");

        var bad = await Run("list", "--db", Db, "--status", "sometimes");
        bad.ExitCode.Should().Be(1);
        bad.Errors.Should().Contain("--status must be 'unresolved' or 'resolved'");
        (await Run("list", "--db", Db, "--page", "0")).ExitCode.Should().Be(1);
        (await Run("list", "--db", Db, "--colour")).Errors.Should().Contain("Unknown option '--colour'");
    }

    [Test]
    public async Task Show_finds_a_group_by_a_prefix_and_prints_the_text_traceback_of_its_latest_occurrence()
    {
        var hash = await HashOf("InvalidOperation");

        var result = await Run("show", hash[..8], "--db", Db);

        result.ExitCode.Should().Be(0, result.Errors);
        result.Output.Should().StartWith("System.InvalidOperationException: The payment provider acme-pay refused order 42.");
        result.Output.Should().Contain($"Hash:        {hash}").And.Contain("Status:      unresolved").And.Contain("Occurrences: 1")
            .And.Contain("First seen:").And.Contain("Last seen:").And.Contain("Latest occurrence (");
        // The traceback as the dashboard renders it: the frame that threw, with its variables.
        result.Output.Should().Contain("   at ").And.Contain("PlaceOrder").And.Contain("orderId").And.Contain("acme-pay");

        var json = await Run("show", hash, "--db", Db, "--json");
        json.ExitCode.Should().Be(0, json.Errors);
        using var document = JsonDocument.Parse(json.Output);
        document.RootElement.GetProperty("record").GetProperty("hash").GetString().Should().Be(hash);
        document.RootElement.GetProperty("traceback").GetString().Should().Contain("PlaceOrder");
    }

    [Test]
    public async Task An_ambiguous_prefix_lists_the_candidates_and_an_unknown_hash_is_not_found()
    {
        var ambiguous = await Run("show", "abcdef01", "--db", Db);
        ambiguous.ExitCode.Should().Be(2);
        ambiguous.Output.Should().BeEmpty();
        ambiguous.Errors.Trim().Should().NotContain("\n").And.Contain("ambiguous")
            .And.Contain(Databases.TwinA[..16]).And.Contain(Databases.TwinB[..16]);

        var unknown = await Run("show", "0123456789", "--db", Db);
        unknown.ExitCode.Should().Be(2);
        unknown.Errors.Trim().Should().Be("errortracker: No error group matches '0123456789'.");

        var tooShort = await Run("resolve", "abc", "--db", Db);
        tooShort.ExitCode.Should().Be(1);
        tooShort.Errors.Should().Contain("at least 6 hexadecimal characters");

        (await Run("show", "--db", Db)).ExitCode.Should().Be(1);
    }

    [Test]
    public async Task Resolve_reopen_and_delete_change_the_group()
    {
        var hash = await HashOf("ArgumentOutOfRange");

        var resolved = await Run("resolve", hash[..10], "--db", Db);
        resolved.ExitCode.Should().Be(0, resolved.Errors);
        resolved.Output.Trim().Should().Be($"Resolved {hash}.");
        (await Run("list", "--db", Db, "--status", "resolved")).Output.Should().Contain(hash[..12]).And.Contain("1 group)");
        (await Run("show", hash, "--db", Db)).Output.Should().Contain("Status:      resolved");

        (await Run("reopen", hash, "--db", Db)).Output.Trim().Should().Be($"Reopened {hash}.");
        (await Run("list", "--db", Db, "--status", "resolved")).Output.Should().Contain("No errors recorded match");

        (await Run("delete", hash, "--db", Db)).Output.Trim().Should().Be($"Deleted {hash}.");
        var gone = await Run("show", hash, "--db", Db);
        gone.ExitCode.Should().Be(2);
        (await Run("delete", hash, "--db", Db)).ExitCode.Should().Be(2);
        (await Run("list", "--db", Db)).Output.Should().Contain("(4 groups)");
    }

    [Test]
    public async Task Purge_refuses_without_yes_when_input_is_redirected_and_deletes_only_the_old_groups_with_it()
    {
        var refused = await Run("purge", "--older-than", "30d", "--db", Db);
        refused.ExitCode.Should().Be(1);
        refused.Errors.Trim().Should().Contain("Refusing to delete 1 error group last seen before").And.Contain("--yes");
        (await Run("list", "--db", Db)).Output.Should().Contain("(5 groups)");

        var purged = await Run("purge", "--older-than", "30d", "--yes", "--db", Db);
        purged.ExitCode.Should().Be(0, purged.Errors);
        purged.Output.Should().Contain("Deleted 1 error group last seen before");
        var left = await Run("list", "--db", Db);
        left.Output.Should().Contain("(4 groups)").And.NotContain("TimeoutException");

        (await Run("purge", "--older-than", "30d", "--db", Db)).Output.Should().Contain("nothing to purge");
        (await Run("purge", "--older-than", "30 days", "--yes", "--db", Db)).ExitCode.Should().Be(1);
        (await Run("purge", "--older-than", "0d", "--yes", "--db", Db)).ExitCode.Should().Be(1);
        (await Run("purge", "--yes", "--db", Db)).Errors.Should().Contain("--older-than");
        (await Run("purge", "--older-than", "90m", "-y", "--db", Db)).Output.Should().Contain("Deleted 2 error groups", "the twins were last seen hours ago");
    }

    [Test]
    public async Task Stats_counts_groups_and_occurrences_ranks_the_top_failures_and_draws_fourteen_days()
    {
        var result = await Run("stats", "--db", Db);

        result.ExitCode.Should().Be(0, result.Errors);
        result.Output.Should().Contain("Groups:       5 (5 unresolved, 0 resolved)").And.Contain("Occurrences:  6")
            .And.Contain("Top failures, last day (today, UTC):").And.Contain("Top failures, last 7 days (UTC):");
        // The week, not the day: a run across midnight UTC must not fail.
        var top = result.Output[result.Output.IndexOf("last 7 days (UTC):", StringComparison.Ordinal)..];
        top.Split('\n')[1].Should().Contain("2").And.Contain("ArgumentOutOfRangeException", "the group with two occurrences leads");
        result.Output.Should().NotContain("ancient timeout", "60 days ago is outside both windows");
        var histogram = result.Output[result.Output.IndexOf("per day", StringComparison.Ordinal)..].Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        histogram.Should().HaveCount(14);
        histogram[^1].Should().Contain(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        histogram.TakeLast(2).Should().Contain(l => l.EndsWith('#'), "today's (or, across midnight, yesterday's) occurrences are drawn");
        histogram.Take(12).Should().OnlyContain(l => !l.Contains('#'), "the 60-day-old group is outside the chart");

        var json = await Run("stats", "--db", Db, "--json");
        using var document = JsonDocument.Parse(json.Output);
        document.RootElement.GetProperty("groups").GetInt64().Should().Be(5);
        document.RootElement.GetProperty("occurrences").GetInt64().Should().Be(6);
        document.RootElement.GetProperty("perDay").GetArrayLength().Should().Be(14);
        document.RootElement.GetProperty("perDay").EnumerateArray().Sum(d => d.GetProperty("occurrences").GetInt64()).Should().BeGreaterThanOrEqualTo(4);
    }

    [Test]
    public async Task Schema_prints_the_ddl_of_either_dialect()
    {
        var sqlite = await Run("schema", "--dialect", "sqlite");
        sqlite.ExitCode.Should().Be(0, sqlite.Errors);
        sqlite.Output.Should().Contain("CREATE TABLE IF NOT EXISTS errortracker_groups");

        var postgres = await Run("schema", "--dialect", "postgres", "--table-prefix", "ops_");
        postgres.ExitCode.Should().Be(0, postgres.Errors);
        postgres.Output.Should().Contain("CREATE TABLE IF NOT EXISTS ops_groups").And.NotBe(sqlite.Output);

        (await Run("schema")).ExitCode.Should().Be(1);
        (await Run("schema", "--dialect", "oracle")).Errors.Should().Contain("--dialect sqlite or --dialect postgres");
        (await Run("schema", "--dialect", "sqlite", "--table-prefix", "drop table;")).ExitCode.Should().Be(1);
    }

    [Test]
    public async Task Database_errors_are_one_line_and_a_nonzero_exit_code_and_never_create_a_file()
    {
        var missing = Path.Combine(_folder, "missing.db");
        var notFound = await Run("list", "--db", missing);
        notFound.ExitCode.Should().Be(2);
        notFound.Errors.Trim().Should().Be($"errortracker: No database file at '{missing}'.");
        File.Exists(missing).Should().BeFalse("reading must not create an empty database");

        var broken = Path.Combine(_folder, "broken.db");
        await File.WriteAllTextAsync(broken, "not a database, just text that is long enough to be read as a header page");
        var corrupt = await Run("stats", "--db", broken);
        corrupt.ExitCode.Should().Be(3);
        corrupt.Errors.Trim().Should().StartWith("errortracker: database error:").And.NotContain("\n");

        var other = Path.Combine(_folder, "other.db");
        await using (var connection = new SqliteConnection($"Data Source={other}"))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE customers (id integer)";
            await create.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        var foreign = await Run("list", "--db", other);
        foreign.ExitCode.Should().Be(2);
        foreign.Errors.Trim().Should().Be($"errortracker: SQLite {other} has no ErrorTracker tables (prefix 'errortracker_'): nothing was recorded there, or the application uses another --table-prefix.");
        await using (var connection = new SqliteConnection($"Data Source={other};Mode=ReadOnly"))
        {
            await connection.OpenAsync();
            await using var tables = connection.CreateCommand();
            tables.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'";
            (await tables.ExecuteScalarAsync()).Should().Be("customers", "the tool never creates its schema in another database");
        }

        SqliteConnection.ClearAllPools();
        (await Run("list", "--db", Db, "--table-prefix", "ops_")).Errors.Should().Contain("has no ErrorTracker tables (prefix 'ops_')");

        var wrongString = await Run("list", "--postgres", "Hots=localhost;Nonsense=1");
        wrongString.ExitCode.Should().Be(3);
        wrongString.Errors.Trim().Should().StartWith("errortracker: The PostgreSQL connection string is not valid").And.NotContain("\n");

        var unreachable = await Run("list", "--postgres", "Host=127.0.0.1;Port=1;Timeout=2");
        unreachable.ExitCode.Should().Be(3);
        unreachable.Errors.Trim().Should().StartWith("errortracker: database error:").And.NotContain("\n");

        var none = await Run("list");
        none.ExitCode.Should().Be(1);
        none.Errors.Should().Contain("--db").And.Contain("ErrorTracker__Storage__Sqlite");

        (await Run("list", "--db", Db, "--postgres", "Host=x")).ExitCode.Should().Be(1);
        foreach (var result in new[] { notFound, corrupt, foreign, wrongString, unreachable, none })
        {
            result.Errors.Should().NotContain("   at ", "no stack trace reaches the user");
        }
    }

    [Test]
    public async Task The_database_can_come_from_the_same_configuration_as_the_libraries()
    {
        var fromEnvironment = await ToolProcess.RunAsync(_folder, new Dictionary<string, string> { ["ErrorTracker__Storage__Sqlite"] = Db }, "list");
        fromEnvironment.ExitCode.Should().Be(0, fromEnvironment.Errors);
        fromEnvironment.Output.Should().Contain("(5 groups)");

        await File.WriteAllTextAsync(Path.Combine(_folder, "appsettings.json"), """{ "ErrorTracker": { "Storage": { "Sqlite": "Data Source=errors.db" } } }""");
        var fromSettings = await Run("stats");
        fromSettings.ExitCode.Should().Be(0, fromSettings.Errors);
        fromSettings.Output.Should().Contain("Groups:       5");
    }

    [TestCase("list", "--exception")]
    [TestCase("show", "hash-or-prefix")]
    [TestCase("resolve", "hash-or-prefix")]
    [TestCase("reopen", "hash-or-prefix")]
    [TestCase("delete", "hash-or-prefix")]
    [TestCase("purge", "--older-than")]
    [TestCase("stats", "14 days")]
    [TestCase("serve", "--allow-remote")]
    [TestCase("schema", "--dialect")]
    public async Task Every_command_has_help(string command, string mentions)
    {
        var result = await Run(command, "--help");

        result.ExitCode.Should().Be(0, result.Errors);
        result.Output.Should().StartWith($"Usage: errortracker {command}").And.Contain(mentions);
    }

    [Test]
    public async Task The_overview_lists_the_commands_and_exit_codes_and_unknown_commands_are_usage_errors()
    {
        var help = await Run("--help");
        help.ExitCode.Should().Be(0);
        help.Output.Should().Contain("Commands:").And.Contain("purge").And.Contain("Exit codes: 0 ok, 1 usage error");

        (await Run()).ExitCode.Should().Be(1);
        var unknown = await Run("frobnicate");
        unknown.ExitCode.Should().Be(1);
        unknown.Errors.Trim().Should().Be("errortracker: Unknown command 'frobnicate'; run 'errortracker --help' for the list.");
    }
}
