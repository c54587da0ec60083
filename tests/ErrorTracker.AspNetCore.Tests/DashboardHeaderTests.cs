using System.Net;
using ErrorTracking.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.AspNetCore.Tests;

/// <summary>
/// Every answer below the dashboard's prefix carries the security headers of its pages, the refusals and the
/// addresses it does not have included; and its antiforgery cookie is Secure over HTTPS.
/// </summary>
public sealed class DashboardHeaderTests
{
    private static readonly string[] SecurityHeaders = ["Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Cache-Control"];

    private TestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase() => _database = new TestDatabase();

    [TearDown]
    public void RemoveDatabase() => _database.Dispose();

    [TestCase("GET", "/dev/error/?page=zero", HttpStatusCode.BadRequest)]
    [TestCase("GET", "/dev/error/api/errors?status=open", HttpStatusCode.BadRequest)]
    [TestCase("POST", "/dev/error/{hash}/resolve", HttpStatusCode.BadRequest)]
    [TestCase("POST", "/dev/error/api/errors/{hash}/resolve", HttpStatusCode.BadRequest)]
    [TestCase("DELETE", "/dev/error/api/errors/{hash}", HttpStatusCode.BadRequest)]
    [TestCase("GET", "/dev/error/no/such/page", HttpStatusCode.NotFound)]
    [TestCase("GET", "/dev/error/api/nothing/here", HttpStatusCode.NotFound)]
    [TestCase("GET", "/dev/error/unknown-id", HttpStatusCode.NotFound)]
    [TestCase("GET", "/dev/error/_assets/missing.css", HttpStatusCode.NotFound)]
    [TestCase("GET", "/dev/error/{hash}/delete", HttpStatusCode.MethodNotAllowed)]
    [TestCase("PUT", "/dev/error/", HttpStatusCode.MethodNotAllowed)]
    [TestCase("HEAD", "/dev/error/", HttpStatusCode.MethodNotAllowed)]
    [TestCase("GET", "/dev/error/api/errors/{hash}/resolve", HttpStatusCode.MethodNotAllowed)]
    [TestCase("PATCH", "/dev/error/api/errors/{hash}", HttpStatusCode.MethodNotAllowed)]
    public async Task An_answer_below_the_prefix_carries_the_pages_security_headers(string method, string url, HttpStatusCode status)
    {
        await using var app = await _database.StartOpenDashboardAsync();
        var hash = HashOf("headers");
        await app.Services.GetRequiredService<Storage.IErrorStore>().SaveAsync([Occurrence(hash, DateTimeOffset.UtcNow)], CancellationToken.None);
        var client = app.GetTestClient();
        var page = await client.GetAsync("/dev/error/");
        page.StatusCode.Should().Be(HttpStatusCode.OK);

        var request = new HttpRequestMessage(new HttpMethod(method), url.Replace("{hash}", hash, StringComparison.Ordinal));
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new FormUrlEncodedContent([]);
        }

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(status);
        foreach (var header in SecurityHeaders)
        {
            Values(response, header).Should().Equal(Values(page, header), $"{method} {url} sends {header} as the pages do");
        }

        if (status == HttpStatusCode.MethodNotAllowed)
        {
            response.Content.Headers.Allow.Should().NotBeEmpty("a 405 says which methods the address takes");
        }
    }

    [Test]
    public async Task The_antiforgery_cookie_is_secure_over_https_only()
    {
        await using var app = await _database.StartOpenDashboardAsync();

        (await CookieAsync(app, "https://localhost/")).Should().Contain("; secure", "over HTTPS the cookie must never be sent in clear");
        (await CookieAsync(app, "http://localhost/")).Should().NotContain("; secure", "over plain HTTP a Secure cookie would never come back");
    }

    private static async Task<string> CookieAsync(WebApplication app, string origin)
    {
        var client = app.GetTestClient();
        client.BaseAddress = new Uri(origin);
        var response = await client.GetAsync("/dev/error/");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".ErrorTracker.Antiforgery=", StringComparison.Ordinal)).ToLowerInvariant();
    }

    private static List<string> Values(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) ? [.. values] : [];
}
