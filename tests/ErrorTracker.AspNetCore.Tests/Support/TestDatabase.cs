using System.Text;
using ErrorTracking.Configuration;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.AspNetCore.Tests.Support;

/// <summary>An SQLite file in a folder of its own, for one test, and web apps on the test server that record into it.</summary>
internal sealed class TestDatabase : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "errortracker-web", Guid.NewGuid().ToString("N"));

    public TestDatabase() => Directory.CreateDirectory(_folder);

    public string File => Path.Combine(_folder, "errors.db");

    /// <summary>A web app builder on the test server, without logging, whose tracker stores into this file.</summary>
    public WebApplicationBuilder CreateBuilder(Action<ErrorTrackerOptions>? configure = null) => CreateBuilder(configure, kestrel: false);

    /// <summary>As <see cref="CreateBuilder(Action{ErrorTrackerOptions}?)"/>, on Kestrel at a free loopback port: real connections.</summary>
    public WebApplicationBuilder CreateKestrelBuilder(Action<ErrorTrackerOptions>? configure = null) => CreateBuilder(configure, kestrel: true);

    private WebApplicationBuilder CreateBuilder(Action<ErrorTrackerOptions>? configure, bool kestrel)
    {
        var builder = WebApplication.CreateBuilder();
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        builder.Services.AddErrorTracker(o => configure?.Invoke(o)).UseSqlite($"Data Source={File}");
        return builder;
    }

    /// <summary>
    /// A started app with the dashboard mapped and open to everyone; <paramref name="before"/> adds the middleware
    /// that runs ahead of it.
    /// </summary>
    public async Task<WebApplication> StartOpenDashboardAsync(Action<WebApplication>? before = null)
    {
        var builder = CreateBuilder();
        builder.Services.AddErrorTracker().UseViewPermission(new Everyone());
        var app = builder.Build();
        before?.Invoke(app);
        app.MapErrorTracker();
        await app.StartAsync();
        return app;
    }

    /// <summary>Every group, once what the app recorded is stored.</summary>
    public static async Task<IReadOnlyList<ErrorRecord>> RecordsAsync(WebApplication app)
    {
        (await app.Services.GetRequiredService<IErrorTracker>().FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        return (await app.Services.GetRequiredService<IErrorStore>().ListAsync(new ErrorQuery { PageSize = 100 }, CancellationToken.None)).Items;
    }

    /// <summary>A group with its first and latest occurrences, as stored.</summary>
    public static async Task<ErrorRecordDetail> DetailAsync(WebApplication app, string hash) =>
        (await app.Services.GetRequiredService<IErrorStore>().GetAsync(hash, CancellationToken.None))!;

    /// <summary>The bytes of the database and its write-ahead log as text: what a secret must never be found in.</summary>
    public async Task<string> RawTextAsync()
    {
        SqliteConnection.ClearAllPools();
        var wal = File + "-wal";
        return Encoding.UTF8.GetString([.. await System.IO.File.ReadAllBytesAsync(File), .. System.IO.File.Exists(wal) ? await System.IO.File.ReadAllBytesAsync(wal) : []]);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
