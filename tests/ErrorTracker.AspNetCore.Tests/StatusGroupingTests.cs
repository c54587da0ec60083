using System.Net;
using ErrorTracking.AspNetCore.Tests.Support;
using ErrorTracking.Configuration;
using ErrorTracking.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ErrorTracking.AspNetCore.Tests;

/// <summary>
/// Records made from a status answered, on real Kestrel connections: they group by status, method (a registered one,
/// or the one bucket of all others) and route, never by the client's method token nor by the stack they were made on.
/// </summary>
public sealed class StatusGroupingTests
{
    private const int Requests = 300;

    private TestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase() => _database = new TestDatabase();

    [TearDown]
    public void RemoveDatabase() => _database.Dispose();

    private async Task<WebApplication> StartAsync(Action<ErrorTrackerOptions>? configure = null, string? allowedHosts = null)
    {
        var builder = _database.CreateKestrelBuilder(o =>
        {
            o.TrackAllExceptions = true;
            configure?.Invoke(o);
        });
        if (allowedHosts is not null)
        {
            builder.Configuration["AllowedHosts"] = allowedHosts;
        }

        var app = builder.Build();
        app.UseErrorTracker();
        // An await that completes later: the tracker then goes on from a thread-pool continuation, not from Kestrel's call.
        app.Use(async (context, next) =>
        {
            if (context.Request.Query.ContainsKey("async"))
            {
                await Task.Yield();
            }

            await next(context);
        });
        app.MapGet("/orders/{id:int}", (int id) => $"order {id}");
        await app.StartAsync();
        return app;
    }

    private static HttpClient ClientOf(WebApplication app) => new() { BaseAddress = new Uri(app.Urls.Single()) };

    // Tokens no registry knows, never twice the same: Z and then 3 to 12 letters or digits.
    private static string[] RandomMethods(int count)
    {
        var random = new Random(14);
        const string Characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return [.. Enumerable.Range(0, count)
            .Select(i => "Z" + new string([.. Enumerable.Range(0, random.Next(3, 13)).Select(_ => Characters[random.Next(Characters.Length)])]) + i)];
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string method, string path)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        return response.StatusCode;
    }

    private static string? SentMethod(ErrorEvent occurrence) =>
        occurrence.Context.SingleOrDefault(v => v.Name == "request_method")?.Value.Text;

    [Test]
    public async Task Random_methods_to_random_paths_make_one_group_shown_under_the_bucket()
    {
        var methods = RandomMethods(Requests);
        var longMethod = "Z" + new string('Q', 499);
        await using var app = await StartAsync(o => o.MaxStringLength = 100);
        using var client = ClientOf(app);
        foreach (var method in methods)
        {
            (await SendAsync(client, method, "/wp-" + Guid.NewGuid().ToString("N"))).Should().Be(HttpStatusCode.NotFound);
        }

        (await SendAsync(client, longMethod, "/wp-last")).Should().Be(HttpStatusCode.NotFound);

        var records = await TestDatabase.RecordsAsync(app);
        TestContext.Out.WriteLine($"{Requests + 1} random methods -> {records.Count} groups: {string.Join(", ", records.Take(5).Select(r => r.Method + " " + r.Message))}");
        var record = records.Should().ContainSingle().Subject;
        record.Method.Should().Be("OTHER");
        record.Message.Should().Be("HTTP 404 Not Found: OTHER (no endpoint)");
        record.Count.Should().Be(Requests + 1);
        var detail = await TestDatabase.DetailAsync(app, record.Hash);
        SentMethod(detail.FirstOccurrence).Should().Be(methods[0], "the token the client sent is kept in the context");
        SentMethod(detail.LatestOccurrence).Should().Be(longMethod[..100] + "...", "it is clipped like any other client input");
    }

    [Test]
    public async Task Random_methods_at_a_real_route_make_one_405_group()
    {
        var methods = RandomMethods(Requests / 3);
        await using var app = await StartAsync();
        using var client = ClientOf(app);
        for (var i = 0; i < methods.Length; i++)
        {
            (await SendAsync(client, methods[i], $"/orders/{i}")).Should().Be(HttpStatusCode.MethodNotAllowed);
        }

        var records = await TestDatabase.RecordsAsync(app);
        TestContext.Out.WriteLine($"{methods.Length} random methods at /orders/{{id}} -> {records.Count} groups");
        var record = records.Should().ContainSingle().Subject;
        record.Method.Should().Be("OTHER");
        record.Message.Should().StartWith("HTTP 405 Method Not Allowed: OTHER ");
        record.Count.Should().Be(methods.Length);
        SentMethod((await TestDatabase.DetailAsync(app, record.Hash)).LatestOccurrence).Should().Be(methods[^1]);
    }

    // HttpClient writes the methods it knows in capitals whatever they were given in: a WebDAV one shows the case.
    [Test]
    public async Task Registered_methods_keep_their_name_and_their_own_group()
    {
        await using var app = await StartAsync();
        using var client = ClientOf(app);
        foreach (var method in new[] { "PROPFIND", "PATCH", "PROPFIND", "mkcol" })
        {
            (await SendAsync(client, method, "/missing-" + Guid.NewGuid().ToString("N"))).Should().Be(HttpStatusCode.NotFound);
        }

        var records = await TestDatabase.RecordsAsync(app);
        records.Select(r => (r.Method, r.Count)).Should().BeEquivalentTo([("PROPFIND", 2L), ("PATCH", 1L), ("OTHER", 1L)],
            "methods are case-sensitive: mkcol is not MKCOL");
        SentMethod((await TestDatabase.DetailAsync(app, records.Single(r => r.Method == "PROPFIND").Hash)).LatestOccurrence).Should().BeNull();
    }

    // The stack a status record was made on differs with the connection (first request or kept alive), the
    // continuation (sync or after an await) and the host filtering middleware: none of it may split the group.
    [Test]
    public async Task A_404_is_one_group_without_frames_however_the_request_reached_it()
    {
        var sent = 0;
        foreach (var allowedHosts in new[] { null, "127.0.0.1" })
        {
            await using var app = await StartAsync(allowedHosts: allowedHosts);
            using var client = ClientOf(app);
            foreach (var path in new[] { "/missing", "/missing?async" })
            {
                foreach (var closeAfter in new[] { false, true, false })
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, path);
                    request.Headers.ConnectionClose = closeAfter;
                    using var response = await client.SendAsync(request);
                    response.StatusCode.Should().Be(HttpStatusCode.NotFound);
                    sent++;
                }
            }

            await TestDatabase.RecordsAsync(app);
        }

        await using var last = await StartAsync();
        var records = await TestDatabase.RecordsAsync(last);
        TestContext.Out.WriteLine($"{sent} requests -> {records.Count} groups");
        var record = records.Should().ContainSingle().Subject;
        record.Count.Should().Be(sent);
        var detail = await TestDatabase.DetailAsync(last, record.Hash);
        foreach (var occurrence in new[] { detail.FirstOccurrence, detail.LatestOccurrence })
        {
            occurrence.Exception.Frames.Should().BeEmpty("a record made from a status has no stack of its own");
            occurrence.Exception.SelfAndDescendants().Should().ContainSingle();
        }
    }
}
