using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Testing;
using ErrorTracking.Tool.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ErrorTracking.Tool.Tests;

/// <summary>What the tool prints shows invisible and reordering characters, and terminal controls, as escapes.</summary>
public sealed class VisibleTextToolTests
{
    private static readonly string[] Raw = ["\u202E", "\u2066", "\u001B", "\u200B"];

    private string _folder = null!;

    private string Db => Path.Combine(_folder, "errors.db");

    [SetUp]
    public async Task StoreAForgedGroup()
    {
        _folder = ToolFolder.Create();
        var store = SqlErrorStore.ForSqlite($"Data Source={Db}");
        await store.MigrateAsync(CancellationToken.None);
        var occurrence = TestEvents.Occurrence(
            TestEvents.HashOf("forged"),
            DateTimeOffset.UtcNow,
            host: "shop\u200B.example.com",
            path: "/up\u2066load",
            method: "POST",
            exceptionType: "Shop.UploadException",
            message: "Refused invoice_\u202Egnp.exe\u001B[2J");
        await store.SaveAsync([occurrence], CancellationToken.None);
        SqliteConnection.ClearAllPools();
    }

    [TearDown]
    public void RemoveFolder() => ToolFolder.Remove(_folder);

    [Test]
    public async Task Show_prints_escapes_in_the_headline_the_fields_and_the_traceback()
    {
        var result = await ToolProcess.RunAsync(_folder, ["show", TestEvents.HashOf("forged")[..8], "--db", Db]);

        result.ExitCode.Should().Be(0, result.Errors);
        result.Output.Should().StartWith("Shop.UploadException: Refused invoice_⟨U+202E⟩gnp.exe⟨U+001B⟩[2J")
            .And.Contain("Request:     POST /up⟨U+2066⟩load")
            .And.Contain("Host:        shop⟨U+200B⟩.example.com");
        result.Output.Split("Latest occurrence (")[1].Should().Contain("Shop.UploadException: Refused invoice_⟨U+202E⟩gnp.exe⟨U+001B⟩[2J");
        result.Output.Should().NotContainAny(Raw);
    }

    [Test]
    public async Task List_prints_escapes_in_its_rows()
    {
        var result = await ToolProcess.RunAsync(_folder, ["list", "--db", Db]);

        result.ExitCode.Should().Be(0, result.Errors);
        result.Output.Should().Contain("POST /up⟨U+2066⟩load").And.Contain("Refused invoice_⟨U+202E⟩gnp.exe⟨U+001B⟩[2J");
        result.Output.Should().NotContainAny(Raw);
    }
}
