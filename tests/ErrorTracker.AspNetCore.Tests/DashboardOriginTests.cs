using System.Net;
using AngleSharp.Html.Dom;
using ErrorTracking.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.AspNetCore.Tests;

/// <summary>
/// Behind <c>UseForwardedHeaders(ForwardedHeaders.All)</c> whoever reaches the proxy may choose the path base with
/// X-Forwarded-Prefix: no link, form action, asset or redirect the dashboard builds may then point at another origin.
/// </summary>
public sealed class DashboardOriginTests
{
    private TestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase() => _database = new TestDatabase();

    [TearDown]
    public void RemoveDatabase() => _database.Dispose();

    [TestCase("//evil.example")]
    [TestCase("/\\evil.example")]
    [TestCase("https://evil.example")]
    [TestCase("/%5Cevil.example")]
    [TestCase("/shop\tevil")]
    [TestCase("/shop\u202Eevil")]
    [TestCase("/shop/../..")]
    public async Task A_forwarded_prefix_that_is_not_a_local_path_is_left_out_of_every_address(string prefix)
    {
        var urls = await AddressesAsync(prefix);

        urls.Should().NotBeEmpty().And.OnlyContain(url => url.StartsWith("/dev/error/", StringComparison.Ordinal),
            "the unsafe path base is ignored, so every address is the dashboard's own, on its origin");
    }

    [Test]
    public async Task A_plain_forwarded_prefix_is_kept_in_every_address()
    {
        var urls = await AddressesAsync("/shop");

        urls.Should().NotBeEmpty().And.OnlyContain(url => url.StartsWith("/shop/dev/error/", StringComparison.Ordinal));
    }

    /// <summary>
    /// Every href, action and src of the list and detail pages and the resolve redirect's Location, all requested
    /// with <paramref name="prefix"/> as X-Forwarded-Prefix.
    /// </summary>
    private async Task<List<string>> AddressesAsync(string prefix)
    {
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.All };
        // The test client is the proxy: trusted without being listed.
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        await using var app = await _database.StartOpenDashboardAsync(app => app.UseForwardedHeaders(forwarded));
        var hash = HashOf("origin");
        await app.Services.GetRequiredService<Storage.IErrorStore>().SaveAsync(
            [Occurrence(hash, DateTimeOffset.UtcNow, "shop.example", "/checkout", "GET")], CancellationToken.None);
        var browser = new Browserless(new HttpClient(new ForwardedPrefix(prefix, app.GetTestServer().CreateHandler()))
        {
            BaseAddress = new Uri("http://localhost/"),
        });

        var urls = new List<string>();
        IHtmlFormElement? resolve = null;
        var cookie = "";
        foreach (var page in new[] { "/dev/error/", $"/dev/error/{hash}" })
        {
            var (response, document) = await browser.GetAsync(page);
            // The antiforgery cookie's path is the path base: sent back by hand, as the browser behind the proxy would.
            cookie = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.Single().Split(';')[0] : cookie;
            response.StatusCode.Should().Be(HttpStatusCode.OK, $"{page} is shown");
            urls.AddRange(document.QuerySelectorAll("[href], [action], [src]")
                .SelectMany(e => new[] { "href", "action", "src" }.Select(e.GetAttribute).OfType<string>()));
            resolve ??= document.QuerySelectorAll("form").OfType<IHtmlFormElement>().FirstOrDefault(f => f.Action.EndsWith("/resolve", StringComparison.Ordinal));
        }

        resolve.Should().NotBeNull("the detail page has a resolve form");
        // Posted to the dashboard itself, whatever the form says, so that the redirect is the server's answer.
        var fields = resolve!.Elements.OfType<IHtmlInputElement>().Where(i => !string.IsNullOrEmpty(i.Name))
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value));
        var post = new HttpRequestMessage(HttpMethod.Post, $"/dev/error/{hash}/resolve") { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", cookie);
        var resolved = await browser.SendAsync(post, withCookies: false);
        resolved.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        urls.Add(resolved.Headers.Location!.OriginalString);
        TestContext.Out.WriteLine(string.Join("\n", urls));
        return urls;
    }

    /// <summary>The proxy in front of the application, passing on the path base its client asked for.</summary>
    private sealed class ForwardedPrefix(string prefix, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", prefix);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
