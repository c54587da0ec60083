using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using ErrorTracking.AspNetCore.Security;
using ErrorTracking.AspNetCore.Tests.Support;
using ErrorTracking.Configuration;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.AspNetCore.Tests;

public sealed class DashboardTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "errortracker-dashboard", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private enum Access
    {
        Default,
        Everyone,
        AdminsPolicy,
    }

    private async Task<WebApplication> StartAsync(Access access = Access.Everyone, Action<ErrorTrackerOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var tracker = builder.Services.AddErrorTracker(o => configure?.Invoke(o)).UseSqlite($"Data Source={Path.Combine(_folder, "errors.db")}");
        builder.Services.AddAuthentication(TestUsers.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TestUsers>(TestUsers.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy("Admins", p => p.RequireRole("admin")));
        if (access == Access.Everyone)
        {
            tracker.UseViewPermission(new Everyone());
        }

        var app = builder.Build();
        app.UseErrorTracker();
        app.UseAuthentication();
        app.UseAuthorization();
        var dashboard = app.MapErrorTracker();
        if (access == Access.AdminsPolicy)
        {
            dashboard.RequireAuthorization("Admins");
        }

        app.MapGet("/orders/{id:int}", (int id) => Fail(id));
        await app.StartAsync();
        return app;
    }

    private static string Fail(int id) => throw new InvalidOperationException($"Order {id} is closed");

    private static IErrorStore Store(WebApplication app) => app.Services.GetRequiredService<IErrorStore>();

    private static async Task<string> SeedAsync(WebApplication app, string name, DateTimeOffset? at = null, string path = "/shop", string message = "Something failed")
    {
        var hash = HashOf(name);
        await Store(app).SaveAsync([Occurrence(hash, at ?? DateTimeOffset.UtcNow, "shop.example", path, "GET", message: message)], None);
        return hash;
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, string? user = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (user is not null)
        {
            request.Headers.Add("X-Test-User", user);
        }

        return request;
    }

    [Test]
    public async Task Every_dashboard_and_api_route_is_closed_by_default_401_for_anonymous_403_for_users()
    {
        await using var app = await StartAsync(Access.Default);
        var hash = await SeedAsync(app, "closed");
        var client = app.GetTestClient();
        (HttpMethod Method, string Url)[] routes =
        [
            (HttpMethod.Get, "/dev/error/"),
            (HttpMethod.Get, "/dev/error"),
            (HttpMethod.Get, $"/dev/error/{hash}"),
            (HttpMethod.Post, $"/dev/error/{hash}/delete"),
            (HttpMethod.Post, $"/dev/error/{hash}/resolve"),
            (HttpMethod.Post, $"/dev/error/{hash}/reopen"),
            (HttpMethod.Get, "/dev/error/_assets/dashboard.css"),
            (HttpMethod.Get, "/dev/error/_assets/dashboard.js"),
            (HttpMethod.Get, "/dev/error/api/errors"),
            (HttpMethod.Get, $"/dev/error/api/errors/{hash}"),
            (HttpMethod.Delete, $"/dev/error/api/errors/{hash}"),
            (HttpMethod.Post, $"/dev/error/api/errors/{hash}/resolve"),
            (HttpMethod.Post, $"/dev/error/api/errors/{hash}/reopen"),
            (HttpMethod.Get, "/dev/error/api/antiforgery"),
        ];

        foreach (var (method, url) in routes)
        {
            var anonymous = await client.SendAsync(Request(method, url));
            anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"{method} {url} is closed to anonymous requests");
            var user = await client.SendAsync(Request(method, url, "mallory"));
            user.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{method} {url} is closed to users nobody allowed");
            user.Headers.GetValues("Content-Security-Policy").Should().ContainSingle();
            (await user.Content.ReadAsStringAsync()).Should().NotContain("Something failed");
        }

        var record = (await Store(app).GetAsync(hash, None))!.Record;
        record.Status.Should().Be(ErrorStatus.Unresolved);
    }

    [Test]
    public async Task An_authorization_policy_on_the_mapped_endpoints_opens_them_to_whom_it_allows()
    {
        await using var app = await StartAsync(Access.AdminsPolicy);
        await SeedAsync(app, "policy");
        var client = app.GetTestClient();

        (await client.SendAsync(Request(HttpMethod.Get, "/dev/error/"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.SendAsync(Request(HttpMethod.Get, "/dev/error/", "mallory"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var admin = Request(HttpMethod.Get, "/dev/error/api/errors", "alice");
        admin.Headers.Add("X-Test-Roles", "admin");
        var response = await client.SendAsync(admin);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totalCount").GetInt64().Should().Be(1);
    }

    [Test]
    public async Task The_loopback_permission_refuses_remote_addresses()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddErrorTracker().UseViewPermission<LoopbackPermission>();
        await using var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers["X-Test-Address"].ToString());
            return next(context);
        });
        app.MapErrorTracker();
        await app.StartAsync();
        var client = app.GetTestClient();

        var local = Request(HttpMethod.Get, "/dev/error/");
        local.Headers.Add("X-Test-Address", "127.0.0.1");
        var remote = Request(HttpMethod.Get, "/dev/error/");
        remote.Headers.Add("X-Test-Address", "203.0.113.9");

        (await client.SendAsync(local)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.SendAsync(remote)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Twenty_one_groups_in_pages_of_five_give_five_pages_with_the_right_rows_and_links()
    {
        await using var app = await StartAsync(configure: o => o.PageSize = 5);
        var hashes = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            // Group i was last seen i minutes after the first: the newest is group 20.
            hashes.Add(await SeedAsync(app, $"group-{i}", DateTimeOffset.UtcNow.AddHours(-1).AddMinutes(i), path: $"/items/{i}"));
        }

        var browser = new Browserless(app.GetTestClient());
        var (first, page1) = await browser.GetAsync("/dev/error/");
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        RowPaths(page1).Should().Equal("/items/20", "/items/19", "/items/18", "/items/17", "/items/16");
        page1.QuerySelector("a[rel=prev]").Should().BeNull();
        page1.QuerySelector("a[rel=next]")!.GetAttribute("href").Should().Be("/dev/error/?page=2");
        page1.QuerySelector(".pager .position")!.TextContent.Should().Be("Page 1 of 5");
        page1.QuerySelector("h1 .total")!.TextContent.Should().Be("21 groups");

        var (_, page3) = await browser.GetAsync("/dev/error/?page=3");
        RowPaths(page3).Should().Equal("/items/10", "/items/9", "/items/8", "/items/7", "/items/6");
        page3.QuerySelector("a[rel=prev]")!.GetAttribute("href").Should().Be("/dev/error/?page=2");
        page3.QuerySelector("a[rel=next]")!.GetAttribute("href").Should().Be("/dev/error/?page=4");

        var (_, page5) = await browser.GetAsync("/dev/error/?page=5");
        RowPaths(page5).Should().Equal("/items/0");
        page5.QuerySelector("a[rel=next]").Should().BeNull();
        page5.QuerySelector(".pager .position")!.TextContent.Should().Be("Page 5 of 5");

        // Detail links lead to the group's page.
        var link = page5.QuerySelector("a.detail-link")!.GetAttribute("href")!;
        link.Should().Be($"/dev/error/{hashes[0]}");
        var (detail, detailPage) = await browser.GetAsync(link);
        detail.StatusCode.Should().Be(HttpStatusCode.OK);
        detailPage.QuerySelector("h1 .title-text")!.TextContent.Should().Be("/items/0");
    }

    [Test]
    public async Task Filters_narrow_the_list_and_stay_in_the_paging_links()
    {
        await using var app = await StartAsync(configure: o => o.PageSize = 2);
        for (var i = 0; i < 5; i++)
        {
            await SeedAsync(app, $"cart-{i}", DateTimeOffset.UtcNow.AddMinutes(-10 + i), path: $"/cart/{i}");
        }

        var other = await SeedAsync(app, "other", path: "/admin", message: "Disk quota exceeded");
        await Store(app).UpdateAsync(other, new ErrorRecordUpdate { Status = ErrorStatus.Resolved }, None);
        var browser = new Browserless(app.GetTestClient());

        var (_, carts) = await browser.GetAsync("/dev/error/?path=cart&method=GET");
        carts.QuerySelector("h1 .total")!.TextContent.Should().Be("5 groups");
        RowPaths(carts).Should().Equal("/cart/4", "/cart/3");
        carts.QuerySelector("a[rel=next]")!.GetAttribute("href").Should().Be("/dev/error/?method=GET&path=cart&page=2");
        ((IHtmlInputElement)carts.QuerySelector("input[name=path]")!).Value.Should().Be("cart");

        var (_, search) = await browser.GetAsync("/dev/error/?q=quota");
        RowPaths(search).Should().Equal("/admin");
        var (_, resolved) = await browser.GetAsync("/dev/error/?status=resolved");
        RowPaths(resolved).Should().Equal("/admin");
        var (_, none) = await browser.GetAsync("/dev/error/?exception=NoSuchException");
        none.QuerySelector(".empty")!.TextContent.Should().Be("No recorded errors match.");

        var (bad, badPage) = await browser.GetAsync("/dev/error/?page=zero");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        badPage.QuerySelector(".notice")!.TextContent.Should().Contain("'page'");
        (await browser.GetAsync("/dev/error/?status=maybe")).Response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Deleting_through_the_form_works_with_its_antiforgery_token_and_fails_without()
    {
        await using var app = await StartAsync();
        var hash = await SeedAsync(app, "to-delete");
        var browser = new Browserless(app.GetTestClient());
        var (_, list) = await browser.GetAsync("/dev/error/");
        var form = (IHtmlFormElement)list.QuerySelector("form[data-confirm]")!;
        form.GetAttribute("action").Should().Be($"/dev/error/{hash}/delete");
        var tokenField = form.Elements.OfType<IHtmlInputElement>().Single(i => i.Type == "hidden").Name!;

        var withoutToken = await browser.SubmitAsync(form, tokenField);
        withoutToken.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Browserless.ParseAsync(withoutToken)).QuerySelector(".notice")!.TextContent.Should().Contain("nothing was changed");
        (await Store(app).GetAsync(hash, None)).Should().NotBeNull();

        // The token without its cookie, as a cross-site page that somehow stole a token would send it.
        var fields = new FormUrlEncodedContent([new(tokenField, ((IHtmlInputElement)form.Elements.First(e => e is IHtmlInputElement)).Value)]);
        var withoutCookie = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, form.GetAttribute("action")) { Content = fields }, withCookies: false);
        withoutCookie.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Store(app).GetAsync(hash, None)).Should().NotBeNull();

        var deleted = await browser.SubmitAsync(form);
        deleted.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        deleted.Headers.Location!.OriginalString.Should().Be("/dev/error/");
        (await Store(app).GetAsync(hash, None)).Should().BeNull();
    }

    [Test]
    public async Task Resolving_and_reopening_through_the_detail_page()
    {
        await using var app = await StartAsync();
        var hash = await SeedAsync(app, "to-resolve");
        var browser = new Browserless(app.GetTestClient());

        var (_, detail) = await browser.GetAsync($"/dev/error/{hash}");
        var resolved = await browser.SubmitAsync((IHtmlFormElement)detail.QuerySelector($"form[action='/dev/error/{hash}/resolve']")!);
        resolved.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        resolved.Headers.Location!.OriginalString.Should().Be($"/dev/error/{hash}");
        (await Store(app).GetAsync(hash, None))!.Record.Status.Should().Be(ErrorStatus.Resolved);

        var (_, after) = await browser.GetAsync($"/dev/error/{hash}");
        after.QuerySelector(".actions .badge")!.TextContent.Should().Be("resolved");
        await browser.SubmitAsync((IHtmlFormElement)after.QuerySelector($"form[action='/dev/error/{hash}/reopen']")!);
        (await Store(app).GetAsync(hash, None))!.Record.Status.Should().Be(ErrorStatus.Unresolved);
    }

    [Test]
    public async Task A_get_to_a_changing_route_changes_nothing()
    {
        await using var app = await StartAsync();
        var hash = await SeedAsync(app, "kept");
        var client = app.GetTestClient();

        foreach (var action in new[] { "delete", "resolve", "reopen" })
        {
            (await client.GetAsync(new Uri($"/dev/error/{hash}/{action}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        }

        (await client.GetAsync(new Uri($"/dev/error/api/errors/{hash}/resolve", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        var record = (await Store(app).GetAsync(hash, None))!.Record;
        record.Status.Should().Be(ErrorStatus.Unresolved);
    }

    [Test]
    public async Task The_json_api_lists_reads_and_changes_with_an_antiforgery_token()
    {
        await using var app = await StartAsync();
        var first = await SeedAsync(app, "api-1", DateTimeOffset.UtcNow.AddMinutes(-1), path: "/one");
        var second = await SeedAsync(app, "api-2", path: "/two");
        var browser = new Browserless(app.GetTestClient());

        var list = await (await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/dev/error/api/errors?pageSize=1"))).Content.ReadFromJsonAsync<JsonElement>();
        list.GetProperty("totalCount").GetInt64().Should().Be(2);
        list.GetProperty("hasNext").GetBoolean().Should().BeTrue();
        list.GetProperty("items").EnumerateArray().Single().GetProperty("hash").GetString().Should().Be(second);
        list.GetProperty("items")[0].GetProperty("status").GetString().Should().Be("unresolved");

        var detail = await (await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/dev/error/api/errors/{first}"))).Content.ReadFromJsonAsync<JsonElement>();
        detail.GetProperty("record").GetProperty("path").GetString().Should().Be("/one");
        detail.GetProperty("latestOccurrence").GetProperty("exception").GetProperty("frames")[0].GetProperty("method").GetString().Should().Be("Place");
        (await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/dev/error/api/errors/nope"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/dev/error/api/errors?page=-1"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        (await browser.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/dev/error/api/errors/{first}"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Store(app).GetAsync(first, None)).Should().NotBeNull();

        var tokens = await (await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/dev/error/api/antiforgery"))).Content.ReadFromJsonAsync<JsonElement>();
        HttpRequestMessage WithToken(HttpMethod method, string url)
        {
            var request = new HttpRequestMessage(method, url);
            request.Headers.Add(tokens.GetProperty("headerName").GetString()!, tokens.GetProperty("requestToken").GetString());
            return request;
        }

        (await browser.SendAsync(WithToken(HttpMethod.Post, $"/dev/error/api/errors/{second}/resolve"))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await Store(app).GetAsync(second, None))!.Record.Status.Should().Be(ErrorStatus.Resolved);
        (await browser.SendAsync(WithToken(HttpMethod.Delete, $"/dev/error/api/errors/{first}"))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await Store(app).GetAsync(first, None)).Should().BeNull();
        (await browser.SendAsync(WithToken(HttpMethod.Delete, $"/dev/error/api/errors/{first}"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_custom_prefix_moves_the_dashboard_its_links_and_its_cookie_and_is_never_recorded()
    {
        await using var app = await StartAsync(configure: o =>
        {
            o.UrlPrefix = "/ops/errors/";
            o.TrackAllExceptions = true;
        });
        var hash = await SeedAsync(app, "prefixed");
        var browser = new Browserless(app.GetTestClient());

        var (response, page) = await browser.GetAsync("/ops/errors/");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        page.QuerySelector("a.detail-link")!.GetAttribute("href").Should().Be($"/ops/errors/{hash}");
        page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href").Should().Be("/ops/errors/_assets/dashboard.css");
        response.Headers.GetValues("Set-Cookie").Should().ContainSingle().Which.Should().Contain(".ErrorTracker.Antiforgery");
        (await browser.GetAsync("/ops/errors/_assets/dashboard.css")).Response.Content.Headers.ContentType!.MediaType.Should().Be("text/css");
        (await browser.GetAsync("/ops/errors/no-such-group")).Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await browser.GetAsync("/dev/error/")).Response.StatusCode.Should().Be(HttpStatusCode.NotFound);

        await app.Services.GetRequiredService<IErrorTracker>().FlushAsync(TimeSpan.FromSeconds(10));
        var records = (await Store(app).ListAsync(new ErrorQuery { PageSize = 50 }, None)).Items;
        records.Should().HaveCount(2);
        records.Should().ContainSingle(r => r.Hash == hash);
        records.Should().ContainSingle(r => r.Message.StartsWith("HTTP 404", StringComparison.Ordinal))
            .Which.Path.Should().Be("/dev/error/", "/dev/error/ is an ordinary path now, and only the dashboard's own 404 is never recorded");
    }

    [Test]
    public async Task Every_dashboard_response_sends_the_security_headers()
    {
        await using var app = await StartAsync();
        var hash = await SeedAsync(app, "headers");
        var client = app.GetTestClient();

        foreach (var url in new[] { "/dev/error/", $"/dev/error/{hash}", "/dev/error/api/errors", "/dev/error/_assets/dashboard.js", "/dev/error/missing" })
        {
            var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            csp.Should().Contain("script-src 'self'").And.Contain("default-src 'none'").And.Contain("frame-ancestors 'none'").And.NotContain("unsafe-inline");
            response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
            response.Headers.GetValues("X-Frame-Options").Single().Should().Be("DENY");
            response.Headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer");
            response.Headers.CacheControl!.NoStore.Should().BeTrue();
        }
    }

    [Test]
    public async Task Recorded_markup_in_every_field_is_encoded_on_the_pages()
    {
        await using var app = await StartAsync();
        const string Payload = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        var hash = HashOf("xss");
        var occurrence = Occurrence(hash, DateTimeOffset.UtcNow, "evil" + Payload, "/p" + Payload, "GET", "Evil" + Payload, "m" + Payload) with
        {
            Url = "http://x/" + Payload,
            RequestData = [new NamedValue("headers", new RecordedValue
            {
                Kind = RecordedValueKind.Dictionary,
                Children = [new NamedValue("X-Evil" + Payload, RecordedValue.Scalar(Payload, "string"))],
            })],
        };
        await Store(app).SaveAsync([occurrence], None);
        var browser = new Browserless(app.GetTestClient());

        foreach (var url in new[] { "/dev/error/", $"/dev/error/{hash}" })
        {
            var (response, page) = await browser.GetAsync(url);
            var html = await response.Content.ReadAsStringAsync();
            html.Should().NotContain("<script>alert").And.NotContain("<img src=x");
            page.QuerySelectorAll("script").Select(s => s.GetAttribute("src")).Should().Equal("/dev/error/_assets/dashboard.js");
            page.QuerySelectorAll("img").Should().BeEmpty();
            page.QuerySelectorAll("[onerror]").Should().BeEmpty();
            page.Body!.TextContent.Should().Contain(Payload, "the payload is shown as text");
        }
    }

    [Test]
    public async Task The_detail_page_shows_the_exception_frames_source_variables_request_chart_and_occurrences()
    {
        await using var app = await StartAsync();
        var client = app.GetTestClient();
        for (var i = 0; i < 3; i++)
        {
            await FluentActions.Awaiting(() => client.GetAsync(new Uri($"/orders/{i}?password=hunter{i}", UriKind.Relative))).Should().ThrowAsync<InvalidOperationException>();
        }

        await app.Services.GetRequiredService<IErrorTracker>().FlushAsync(TimeSpan.FromSeconds(10));
        var hash = (await Store(app).ListAsync(new ErrorQuery(), None)).Items.Single().Hash;
        var (response, page) = await new Browserless(client).GetAsync($"/dev/error/{hash}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        page.QuerySelector("h1 .method")!.TextContent.Should().Be("GET");
        page.QuerySelector("h1 .title-text")!.TextContent.Should().Be("/orders/0");
        page.QuerySelector(".facts .count")!.TextContent.Should().Be("3");
        page.QuerySelector(".facts .url")!.TextContent.Should().Be("http://localhost/orders/2", "the latest occurrence's URL, without its query");
        page.QuerySelector(".exception-block .exception")!.TextContent.Should().Be("System.InvalidOperationException");
        page.QuerySelector(".exception-block .message")!.TextContent.Should().Be("Order 2 is closed");

        var failFrame = page.QuerySelectorAll("details.frame.in-app").Single(f => f.QuerySelector(".signature")!.TextContent.Contains("Fail", StringComparison.Ordinal));
        failFrame.HasAttribute("open").Should().BeTrue("in-app frames start expanded");
        failFrame.QuerySelector(".line.failing")!.TextContent.Should().Contain("throw new InvalidOperationException");
        page.QuerySelectorAll("details.frame.framework").Should().NotBeEmpty().And.OnlyContain(f => !f.HasAttribute("open"));

        var request = page.QuerySelector("section.request")!.TextContent;
        request.Should().Contain("query").And.Contain("password").And.NotContain("hunter2");
        page.QuerySelector("section.request")!.QuerySelectorAll(".v-masked").Should().NotBeEmpty();
        page.QuerySelector("#traceback-text")!.TextContent.Should().Contain("InvalidOperationException: Order 2 is closed");
        page.QuerySelector("button[data-copy=traceback-text]").Should().NotBeNull();

        page.QuerySelectorAll("section svg.chart rect.bar").Should().ContainSingle().Which.QuerySelector("title")!.TextContent.Should().EndWith(": 3");
        page.QuerySelectorAll("table.occurrences tbody tr").Should().HaveCount(3);
        page.QuerySelector("table.occurrences tbody tr td.url")!.TextContent.Should().Be("http://localhost/orders/2", "newest first");
    }

    [Test]
    public async Task The_list_row_chart_counts_the_group_per_day()
    {
        await using var app = await StartAsync();
        var today = DateTimeOffset.UtcNow;
        var hash = HashOf("daily");
        await Store(app).SaveAsync(
            [
                Occurrence(hash, today.AddDays(-3), path: "/daily"),
                Occurrence(hash, today.AddDays(-3), path: "/daily"),
                Occurrence(hash, today, path: "/daily") with { Occurrences = 4 },
            ],
            None);

        var (_, page) = await new Browserless(app.GetTestClient()).GetAsync("/dev/error/");

        var bars = page.QuerySelectorAll("tr.group svg.chart rect").ToList();
        bars.Should().HaveCount(14);
        bars[10].ClassName.Should().Be("bar");
        bars[10].QuerySelector("title")!.TextContent.Should().EndWith(": 2");
        bars[13].QuerySelector("title")!.TextContent.Should().EndWith(": 4");
        bars.Count(b => b.ClassName == "bar").Should().Be(2);
        page.QuerySelector("tr.group .count")!.TextContent.Should().Be("6");
    }

    private static List<string> RowPaths(IHtmlDocument page) =>
        page.QuerySelectorAll("tr.group a.detail-link").Select(a => a.TextContent).ToList();
}
