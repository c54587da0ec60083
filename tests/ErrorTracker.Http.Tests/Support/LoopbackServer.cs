using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Http.Tests.Support;

/// <summary>A request the server received, as it arrived.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, with any base path.</param>
/// <param name="Query">The query string, with its '?', or empty.</param>
/// <param name="Headers">The headers, names case-insensitive, repeated values joined with ", ".</param>
/// <param name="Body">The body as text.</param>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The body parsed as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A real HTTP server (Kestrel) on a free loopback port, for the integrations to talk to. It records every
/// request before the mapped endpoints answer, and can be told to fail or to hang the next requests.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _lock = new();
    private readonly Queue<Func<HttpContext, Task>> _faults = new();

    private LoopbackServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's root, such as http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>Every request received so far, in order, including those answered with a fault.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts a server whose endpoints <paramref name="map"/> adds.</summary>
    public static async Task<LoopbackServer> StartAsync(Action<IEndpointRouteBuilder> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LoopbackServer? server = null;
        app.Use((context, next) => server!.HandleAsync(context, next));
        map(app);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new LoopbackServer(app, new Uri(bound.TrimEnd('/') + "/"));
        return server;
    }

    /// <summary>A URL on this server.</summary>
    public Uri Url(string pathAndQuery) => new(Address, pathAndQuery.TrimStart('/'));

    /// <summary>Answers the next <paramref name="count"/> requests with <paramref name="status"/> and a GitHub-style JSON error.</summary>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.InternalServerError, string message = "Simulated failure")
    {
        Enqueue(count, async context =>
        {
            context.Response.StatusCode = (int)status;
            await context.Response.WriteAsJsonAsync(new { message });
        });
    }

    /// <summary>Holds the next <paramref name="count"/> requests without answering until the client gives up (or the server stops).</summary>
    public void HangNext(int count)
    {
        Enqueue(count, async context =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _app.Lifetime.ApplicationStopping);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // The client timed out, or the server is stopping: nothing left to answer.
            }
        });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Enqueue(int count, Func<HttpContext, Task> fault)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    private async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Func<HttpContext, Task>? fault;
        lock (_lock)
        {
            _requests.Add(new RecordedRequest(request.Method, request.PathBase + request.Path, request.QueryString.Value ?? "", headers, body));
            _faults.TryDequeue(out fault);
        }

        // The endpoints read the body again.
        context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
        await (fault?.Invoke(context) ?? next(context));
    }
}
