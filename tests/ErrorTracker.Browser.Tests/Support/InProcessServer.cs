using ErrorTracking.AspNetCore.Security;
using ErrorTracking.Storage;
using ErrorTracking.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Browser.Tests.Support;

/// <summary>
/// A test-only web application in this process, on Kestrel on a free loopback port: the tracker with an in-memory
/// store, <c>UseErrorTracker</c>, the routes a fixture maps, and the dashboard open to loopback as in the web
/// sample. For what the sample has no route for (variables, context, exception data, odd hosts and header names).
/// </summary>
public sealed class InProcessServer : IDashboardServer
{
    private readonly WebApplication _app;
    private readonly CapturedLogs _logs;

    private InProcessServer(WebApplication app, CapturedLogs logs, Uri address)
    {
        _app = app;
        _logs = logs;
        Address = address;
    }

    /// <inheritdoc />
    public Uri Address { get; }

    /// <inheritdoc />
    public Uri Dashboard => new(Address, "dev/error/");

    /// <inheritdoc />
    public string Output => string.Join('\n', _logs.Entries.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}"));

    /// <summary>Starts the application.</summary>
    /// <param name="beforeTracker">Middleware that runs before <c>UseErrorTracker</c>.</param>
    /// <param name="map">Maps the application's routes.</param>
    public static async Task<InProcessServer> StartAsync(Func<HttpContext, RequestDelegate, Task> beforeTracker, Action<WebApplication> map)
    {
        var logs = new CapturedLogs();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddErrorTracker(o =>
        {
            o.Store = new InMemoryErrorStore();
            o.CaptureUnhandledExceptions = false;
            // A test class's static fields would show its own payload constants on every page, whatever was recorded.
            o.CaptureStaticFields = false;
        }).UseViewPermission<LoopbackPermission>();
        var app = builder.Build();
        app.UseExceptionHandler(handler => handler.Run(context => context.Response.WriteAsync("handled by the application")));
        app.Use(beforeTracker);
        app.UseErrorTracker();
        map(app);
        app.MapErrorTracker();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new InProcessServer(app, logs, new Uri(bound.TrimEnd('/') + "/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
