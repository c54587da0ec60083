using System.Net;
using ErrorTracking.AspNetCore.Tests.Support;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.AspNetCore.Tests;

/// <summary>
/// The security checklist over every route the dashboard maps, found in the application's
/// <see cref="EndpointDataSource"/> rather than listed by hand, so a route added later is covered without editing
/// these tests. (<c>DashboardTests.Every_dashboard_and_api_route_is_closed_by_default_401_for_anonymous_403_for_users</c>
/// checks the same for a hand-written list, with a signed-in user too.)
/// </summary>
public sealed class DashboardRouteTests
{
    private TestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase() => _database = new TestDatabase();

    [TearDown]
    public void RemoveDatabase() => _database.Dispose();

    [Test]
    public async Task Every_mapped_dashboard_route_is_closed_by_default()
    {
        await using var app = _database.CreateBuilder().Build();
        app.MapErrorTracker();
        await app.StartAsync();
        var hash = await SeedAsync(app);
        var client = app.GetTestClient();

        var routes = DashboardRoutes(app, hash);
        routes.Should().HaveCountGreaterThanOrEqualTo(12, "the dashboard maps its pages, actions, assets and API");
        foreach (var (method, url) in routes)
        {
            var response = await client.SendAsync(new HttpRequestMessage(method, url));
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"{method} {url} is closed without a view permission");
            (await response.Content.ReadAsStringAsync()).Should().NotContain("shop.example", $"{method} {url} shows no data");
        }

        (await app.Services.GetRequiredService<IErrorStore>().GetAsync(hash, CancellationToken.None))!.Record.Status
            .Should().Be(ErrorStatus.Unresolved, "no closed route changed anything");
    }

    [Test]
    public async Task Every_changing_dashboard_route_refuses_a_request_without_its_antiforgery_token()
    {
        var builder = _database.CreateBuilder();
        builder.Services.AddErrorTracker().UseViewPermission(new Everyone());
        await using var app = builder.Build();
        app.MapErrorTracker();
        await app.StartAsync();
        var hash = await SeedAsync(app);
        var browser = new Browserless(app.GetTestClient());
        (await browser.GetAsync("/dev/error/")).Response.StatusCode.Should().Be(HttpStatusCode.OK, "the page hands out the antiforgery cookie");

        var changing = DashboardRoutes(app, hash).Where(r => r.Method != HttpMethod.Get && r.Method != HttpMethod.Head).ToList();
        changing.Should().HaveCountGreaterThanOrEqualTo(6, "resolve, reopen and delete, as forms and in the API");
        foreach (var (method, url) in changing)
        {
            var withCookieOnly = await browser.SendAsync(new HttpRequestMessage(method, url) { Content = new FormUrlEncodedContent([]) });
            withCookieOnly.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"{method} {url} needs the token, not only the cookie");
            var withNothing = await browser.SendAsync(new HttpRequestMessage(method, url), withCookies: false);
            withNothing.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"{method} {url} needs the token and its cookie");
            var record = (await app.Services.GetRequiredService<IErrorStore>().GetAsync(hash, CancellationToken.None))?.Record;
            record.Should().NotBeNull($"{method} {url} deleted nothing");
            record!.Status.Should().Be(ErrorStatus.Unresolved, $"{method} {url} changed nothing");
        }
    }

    private static async Task<string> SeedAsync(WebApplication app)
    {
        var hash = HashOf("routes");
        await app.Services.GetRequiredService<IErrorStore>().SaveAsync([Occurrence(hash, DateTimeOffset.UtcNow, "shop.example", "/shop", "GET")], CancellationToken.None);
        return hash;
    }

    /// <summary>Every (method, URL) of the dashboard's endpoints, route parameters filled in.</summary>
    private static List<(HttpMethod Method, string Url)> DashboardRoutes(WebApplication app, string hash)
    {
        var endpoints = app.Services.GetServices<EndpointDataSource>().SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.Any(m => m.GetType().Name == "DashboardEndpointMetadata"))
            .ToList();
        var routes = new List<(HttpMethod, string)>();
        foreach (var endpoint in endpoints)
        {
            var url = "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "hash" } => hash,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "name" } => "dashboard.css",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "rest" } => "no/such/page",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => throw new AssertionException($"Unknown route parameter {parameter.Name} in {endpoint.RoutePattern.RawText}: teach this test a value for it."),
                _ => throw new AssertionException($"Unexpected route part in {endpoint.RoutePattern.RawText}"),
            }))));
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            routes.AddRange(methods.Select(method => (new HttpMethod(method), url)));
        }

        TestContext.Out.WriteLine(string.Join("\n", routes.Select(r => $"{r.Item1} {r.Item2}")));
        return routes;
    }
}
