using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ErrorTracking.Storage;
using ErrorTracking.Tool.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ErrorTracking.Tool.Tests;

/// <summary><c>errortracker serve</c> as a process: the dashboard over the file, on loopback only unless told otherwise.</summary>
public sealed partial class ServeTests
{
    private string _folder = null!;

    private string Db => Path.Combine(_folder, "errors.db");

    [SetUp]
    public async Task Fill()
    {
        _folder = ToolFolder.Create();
        var connection = $"Data Source={Db}";
        await Databases.FillAsync(o => o.UseSqlite(connection), SqlErrorStore.ForSqlite(connection));
        SqliteConnection.ClearAllPools();
    }

    [TearDown]
    public void RemoveFolder() => ToolFolder.Remove(_folder);

    [Test]
    public async Task Serve_shows_the_dashboard_and_its_api_on_loopback()
    {
        using var process = Process.Start(ToolProcess.StartInfo(_folder, null, ["serve", "--db", Db, "--urls", "http://127.0.0.1:0"]))!;
        try
        {
            var errors = process.StandardError.ReadToEndAsync();
            string? line;
            var address = "";
            using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((line = await process.StandardOutput.ReadLineAsync(ready.Token)) is not null)
            {
                if (ServingLine().Match(line) is { Success: true } match)
                {
                    address = match.Groups["url"].Value;
                    break;
                }
            }

            address.Should().StartWith("http://127.0.0.1:", await ErrorsIfExited(process, errors)).And.EndWith("/dev/error/");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

            var page = await http.GetAsync(new Uri(address));
            page.StatusCode.Should().Be(HttpStatusCode.OK);
            var html = await page.Content.ReadAsStringAsync();
            html.Should().Contain("System.InvalidOperationException").And.Contain("acme-pay");

            var api = await http.GetStringAsync(new Uri(address + "api/errors"));
            using (var json = JsonDocument.Parse(api))
            {
                api.Should().Contain("System.ArgumentOutOfRangeException");
                json.RootElement.ValueKind.Should().Be(JsonValueKind.Object);
            }

            var root = await http.GetAsync(new Uri(address.Replace("/dev/error/", "/", StringComparison.Ordinal)));
            root.StatusCode.Should().Be(HttpStatusCode.OK, "the root redirects to the dashboard");
            root.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/dev/error/");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [TestCase("http://0.0.0.0:5099")]
    [TestCase("http://*:5099")]
    [TestCase("http://example.com:5099")]
    [TestCase("http://127.0.0.1:5099;http://192.0.2.1:5099")]
    public async Task Serve_refuses_a_non_loopback_address_unless_remote_is_allowed(string urls)
    {
        var result = await ToolProcess.RunAsync(_folder, "serve", "--db", Db, "--urls", urls);

        result.ExitCode.Should().Be(1);
        result.Errors.Trim().Should().StartWith("errortracker: Refusing to serve the dashboard on").And.Contain("--allow-remote").And.NotContain("\n");
        result.Output.Should().BeEmpty();
    }

    [Test]
    public async Task Allowing_remote_viewers_prints_a_loud_warning()
    {
        // Still bound to loopback here: the test only checks what the flag says, and sends nothing elsewhere.
        using var process = Process.Start(ToolProcess.StartInfo(_folder, null, ["serve", "--db", Db, "--urls", "http://127.0.0.1:0", "--allow-remote"]))!;
        string? line;
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((line = await process.StandardOutput.ReadLineAsync(ready.Token)) is not null && !ServingLine().IsMatch(line))
        {
        }

        process.Kill(entireProcessTree: true);
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        line.Should().NotBeNull("the tool announces its address");
        errors.Should().Contain("WARNING: --allow-remote").And.Contain("ANYONE").And.Contain("without authentication");
    }

    [Test]
    public async Task Serve_needs_an_existing_database()
    {
        var result = await ToolProcess.RunAsync(_folder, "serve", "--db", Path.Combine(_folder, "none.db"));

        result.ExitCode.Should().Be(2);
        result.Errors.Should().Contain("No database file");
        File.Exists(Path.Combine(_folder, "none.db")).Should().BeFalse();
    }

    private static async Task<string> ErrorsIfExited(Process process, Task<string> errors) =>
        process.HasExited ? "the tool exited: " + await errors : "the tool announces its address";

    [GeneratedRegex(@"at (?<url>http://\S+/dev/error/)$")]
    private static partial Regex ServingLine();
}
