using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ErrorTracking.AspNetCore.Tests.Support;
using ErrorTracking.Records;
using ErrorTracking.Rendering;
using ErrorTracking.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.AspNetCore.Tests;

public sealed class SecurityReviewTests
{
    private TestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase() => _database = new TestDatabase();

    [TearDown]
    public void RemoveDatabase() => _database.Dispose();

    private static async Task<string> SeedAsync(WebApplication app, string name, string path = "/shop")
    {
        var hash = HashOf(name);
        await app.Services.GetRequiredService<IErrorStore>().SaveAsync([Occurrence(hash, DateTimeOffset.UtcNow, "shop.example", path, "GET")], CancellationToken.None);
        return hash;
    }

    private static HttpRequestMessage Admin(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-Test-User", "alice");
        request.Headers.Add("X-Test-Roles", "admin");
        return request;
    }

    // RequireAuthorization in each of its forms (policy name, object, builder) opens the dashboard to whom it allows.
    [TestCase("object")]
    [TestCase("builder")]
    [TestCase("name")]
    public async Task RequireAuthorization_with_a_policy_object_or_builder_opens_the_dashboard_to_admins(string form)
    {
        var builder = _database.CreateBuilder();
        builder.Services.AddAuthentication(TestUsers.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TestUsers>(TestUsers.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy("Admins", p => p.RequireRole("admin")));
        await using var app = builder.Build();
        app.UseErrorTracker();
        app.UseAuthentication();
        app.UseAuthorization();
        var dashboard = app.MapErrorTracker();
        _ = form switch
        {
            "object" => dashboard.RequireAuthorization(new AuthorizationPolicyBuilder().RequireRole("admin").Build()),
            "builder" => dashboard.RequireAuthorization(p => p.RequireRole("admin")),
            _ => dashboard.RequireAuthorization("Admins"),
        };
        await app.StartAsync();

        var response = await app.GetTestClient().SendAsync(Admin(HttpMethod.Get, "/dev/error/api/errors"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    // Arguments are masked by the name the client sent (the bound name), not only by the C# parameter's name.
    [Test]
    public async Task A_credential_bound_under_another_parameter_name_is_never_stored_in_clear()
    {
        var secret = "S3cr3t-" + Guid.NewGuid().ToString("N");
        var key = "K3y-" + Guid.NewGuid().ToString("N");
        var builder = _database.CreateBuilder();
        await using var app = builder.Build();
        app.UseErrorTracker();
        app.MapGroup("").CaptureArguments()
            .MapGet("/login", string ([FromQuery(Name = "password")] string p, [FromHeader(Name = "X-Api-Key")] string k) =>
                throw new InvalidOperationException("login failed"));
        await app.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/login?password={secret}");
        request.Headers.Add("X-Api-Key", key);
        await FluentActions.Awaiting(() => app.GetTestClient().SendAsync(request)).Should().ThrowAsync<InvalidOperationException>();
        var hash = (await TestDatabase.RecordsAsync(app)).Should().ContainSingle().Subject.Hash;
        var detail = await TestDatabase.DetailAsync(app, hash);
        var args = detail.LatestOccurrence.Exception.Frames.SelectMany(f => f.Variables).Where(v => v.Origin == VariableOrigin.Argument)
            .ToDictionary(v => v.Name, v => ValueText.Format(v.Value));
        TestContext.Out.WriteLine(string.Join("; ", args.Select(a => a.Key + "=" + a.Value)));
        var raw = await _database.RawTextAsync();
        raw.Should().NotContain(secret, "the query parameter 'password' is a secret whatever the C# parameter is called");
        raw.Should().NotContain(key, "the X-Api-Key header is a secret whatever the C# parameter is called");
    }

    // Under a path base, the dashboard's links, assets and forms keep the base.
    [Test]
    public async Task Under_a_path_base_the_dashboard_links_its_assets_and_forms_below_the_base()
    {
        var builder = _database.CreateBuilder();
        builder.Services.AddErrorTracker().UseViewPermission(new Everyone());
        await using var app = builder.Build();
        app.UsePathBase("/app");
        app.UseRouting();
        app.UseErrorTracker();
        app.MapErrorTracker();
        await app.StartAsync();
        await SeedAsync(app, "base");
        var browser = new Browserless(app.GetTestClient());

        var (response, page) = await browser.GetAsync("/app/dev/error/");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var css = page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href");
        var action = page.QuerySelector("form[method=post]")!.GetAttribute("action");
        TestContext.Out.WriteLine($"css={css} action={action} cookie={string.Join(",", response.Headers.GetValues("Set-Cookie"))}");
        css.Should().StartWith("/app/");
        action.Should().StartWith("/app/");
    }

    // The pager keeps a page size asked for in the query.
    [Test]
    public async Task The_pager_keeps_the_page_size_it_was_asked_for()
    {
        var builder = _database.CreateBuilder();
        builder.Services.AddErrorTracker().UseViewPermission(new Everyone());
        await using var app = builder.Build();
        app.MapErrorTracker();
        await app.StartAsync();
        for (var i = 0; i < 12; i++)
        {
            await SeedAsync(app, "g" + i, "/items/" + i);
        }

        var (_, page) = await new Browserless(app.GetTestClient()).GetAsync("/dev/error/?pageSize=3");
        var next = page.QuerySelector("a[rel=next]")!.GetAttribute("href");
        TestContext.Out.WriteLine($"next={next}; position={page.QuerySelector(".pager .position")!.TextContent}");
        next.Should().Contain("pageSize=3");
    }

    // A status filter with two values is refused, not read as flags.
    [Test]
    public async Task A_status_filter_naming_two_statuses_is_refused()
    {
        var builder = _database.CreateBuilder();
        builder.Services.AddErrorTracker().UseViewPermission(new Everyone());
        await using var app = builder.Build();
        app.MapErrorTracker();
        await app.StartAsync();
        var response = await app.GetTestClient().GetAsync("/dev/error/api/errors?status=unresolved,resolved");
        TestContext.Out.WriteLine(await response.Content.ReadAsStringAsync());
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    // The largest MaxRequestBodyLength allowed never makes the middleware throw its own exception in place of the
    // application's (larger ones are refused at start).
    [Test]
    public async Task A_huge_body_limit_never_replaces_the_applications_exception()
    {
        var builder = _database.CreateBuilder(o => o.MaxRequestBodyLength = 16 * 1024 * 1024);
        await using var app = builder.Build();
        app.UseErrorTracker();
        app.MapPost("/orders", string (Order order) => throw new InvalidOperationException("order refused"));
        await app.StartAsync();
        var thrown = await FluentActions.Awaiting(() => app.GetTestClient().PostAsJsonAsync("/orders", new Order(1)))
            .Should().ThrowAsync<Exception>();
        TestContext.Out.WriteLine(thrown.Which.GetType() + ": " + thrown.Which.Message);
        thrown.Which.Should().BeOfType<InvalidOperationException>();
        (await TestDatabase.RecordsAsync(app)).Should().ContainSingle();
    }

    public sealed record Order(int Id);

    // Probing the guard: methods, case, slashes, encodings. None may reach data without the permission.
    [Test]
    public async Task No_method_case_slash_or_encoding_reaches_data_without_the_permission()
    {
        var builder = _database.CreateBuilder(o => { o.TrackAllExceptions = true; });
        await using var app = builder.Build();
        app.UseErrorTracker();
        app.MapErrorTracker();
        await app.StartAsync();
        var hash = await SeedAsync(app, "probe");
        var client = app.GetTestClient();
        var before = (await TestDatabase.RecordsAsync(app)).Count;
        (string Method, string Url)[] probes =
        [
            ("HEAD", "/dev/error/"), ("OPTIONS", "/dev/error/"), ("GET", "//dev/error/"), ("GET", "/DEV/ERROR/"),
            ("GET", "/dev/error//"), ("GET", "/dev%2Ferror/"), ("GET", "/dev/error/api/errors/"), ("GET", "/dev/error/API/ERRORS"),
            ("GET", $"/dev/error/{hash}/"), ("GET", $"/dev/error/{hash.ToUpperInvariant()}"), ("GET", $"/dev/error/{hash}/delete"),
            ("PUT", $"/dev/error/api/errors/{hash}"), ("PATCH", $"/dev/error/{hash}/delete"), ("GET", "/dev/error/_assets/../api/errors"),
            ("TRACE", "/dev/error/"), ("GET", "/dev/error/%2e%2e/x"), ("GET", "/dev/error/_assets/%2e%2e%2fapi%2ferrors"),
        ];
        foreach (var (method, url) in probes)
        {
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
            var body = await response.Content.ReadAsStringAsync();
            TestContext.Out.WriteLine($"{method} {url} -> {(int)response.StatusCode} {body.Length} csp={response.Headers.Contains("Content-Security-Policy")}");
            body.Should().NotContain("shop.example");
            response.StatusCode.Should().NotBe(HttpStatusCode.OK);
        }

        var after = await TestDatabase.RecordsAsync(app);
        TestContext.Out.WriteLine(string.Join("\n", after.Select(r => $"{r.Method} {r.Path} {r.Message}")));
    }

    // The 303 after a change stays on the dashboard.
    [Test]
    public async Task Redirect_after_a_change_stays_on_the_dashboard()
    {
        var builder = _database.CreateBuilder();
        builder.Services.AddErrorTracker().UseViewPermission(new Everyone());
        await using var app = builder.Build();
        app.MapErrorTracker();
        await app.StartAsync();
        var hash = await SeedAsync(app, "redirect");
        var browser = new Browserless(app.GetTestClient());
        var (_, page) = await browser.GetAsync($"/dev/error/{hash}");
        var form = page.QuerySelectorAll("form[method=post]").OfType<AngleSharp.Html.Dom.IHtmlFormElement>().First();
        var response = await browser.SubmitAsync(form);
        TestContext.Out.WriteLine($"{(int)response.StatusCode} {response.Headers.Location}");
        response.StatusCode.Should().Be(HttpStatusCode.SeeOther);
    }

    // Mapped on a route group: links and forms stay below the group, and its requests are never recorded.
    [Test]
    public async Task Mapped_on_a_group_the_dashboard_links_below_the_group_and_is_not_recorded()
    {
        var builder = _database.CreateBuilder(o => o.TrackAllExceptions = true);
        await using var app = builder.Build();
        app.UseErrorTracker();
        app.MapGroup("/admin").MapErrorTracker();
        await app.StartAsync();
        var client = app.GetTestClient();
        var denied = await client.GetAsync("/admin/dev/error/");
        TestContext.Out.WriteLine($"GET /admin/dev/error/ -> {(int)denied.StatusCode}");
        var records = await TestDatabase.RecordsAsync(app);
        TestContext.Out.WriteLine(string.Join("\n", records.Select(r => $"{r.Method} {r.Path} {r.Message}")));
        records.Should().BeEmpty("requests to the dashboard are never recorded");
    }

    [Test]
    public async Task Mapped_on_a_group_the_pages_link_below_the_group()
    {
        var builder = _database.CreateBuilder();
        builder.Services.AddErrorTracker().UseViewPermission(new Everyone());
        await using var app = builder.Build();
        app.UseErrorTracker();
        app.MapGroup("/admin").MapErrorTracker();
        await app.StartAsync();
        await SeedAsync(app, "grouped");
        var browser = new Browserless(app.GetTestClient());
        var (response, page) = await browser.GetAsync("/admin/dev/error/");
        var form = page.QuerySelectorAll("form[method=post]").OfType<AngleSharp.Html.Dom.IHtmlFormElement>().First();
        var css = page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
        var cssResponse = await browser.Client.GetAsync(css);
        var delete = await browser.SubmitAsync(form);
        TestContext.Out.WriteLine($"page {(int)response.StatusCode}; css {css} -> {(int)cssResponse.StatusCode}; delete {form.GetAttribute("action")} -> {(int)delete.StatusCode}");
        cssResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        delete.StatusCode.Should().Be(HttpStatusCode.SeeOther);
    }

    // Under a path base the antiforgery cookie comes back with the form.
    [Test]
    public async Task Under_a_path_base_a_form_posted_below_the_base_is_accepted()
    {
        var builder = _database.CreateBuilder();
        builder.Services.AddErrorTracker().UseViewPermission(new Everyone());
        await using var app = builder.Build();
        app.UsePathBase("/app");
        app.UseRouting();
        app.UseErrorTracker();
        app.MapErrorTracker();
        await app.StartAsync();
        var hash = await SeedAsync(app, "base");
        var browser = new Browserless(app.GetTestClient());
        var (_, page) = await browser.GetAsync("/app/dev/error/");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var post = new HttpRequestMessage(HttpMethod.Post, $"/app/dev/error/{hash}/delete")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]),
        };
        var response = await browser.SendAsync(post);
        TestContext.Out.WriteLine($"POST /app/dev/error/{{hash}}/delete -> {(int)response.StatusCode}");
        response.StatusCode.Should().Be(HttpStatusCode.SeeOther);
    }

    // With TrackAllExceptions, 404s without an endpoint share one group whatever their path: a scanner cannot flood the store.
    [Test]
    public async Task Anonymous_404s_for_random_paths_do_not_create_a_group_each()
    {
        var builder = _database.CreateBuilder(o => o.TrackAllExceptions = true);
        await using var app = builder.Build();
        app.UseErrorTracker();
        await app.StartAsync();
        var client = app.GetTestClient();
        for (var i = 0; i < 25; i++)
        {
            await client.GetAsync("/wp-" + new string(Guid.NewGuid().ToString("N").Select(c => (char)('g' + c % 20)).ToArray()));
        }

        var records = await TestDatabase.RecordsAsync(app);
        TestContext.Out.WriteLine($"{records.Count} groups");
        records.Count.Should().BeLessThan(5);
    }

    // LoopbackPermission also wants a loopback host name: a page on evil.example rebound to 127.0.0.1 is refused.
    [Test]
    public async Task Loopback_permission_refuses_a_foreign_host_name()
    {
        var builder = _database.CreateBuilder();
        builder.Services.AddErrorTracker().UseViewPermission<ErrorTracking.AspNetCore.Security.LoopbackPermission>();
        await using var app = builder.Build();
        app.Use((context, next) => { context.Connection.RemoteIpAddress = IPAddress.Loopback; return next(context); });
        app.MapErrorTracker();
        await app.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/dev/error/api/antiforgery");
        request.Headers.Host = "evil.example:5000";
        var response = await app.GetTestClient().SendAsync(request);
        TestContext.Out.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        response.StatusCode.Should().NotBe(HttpStatusCode.OK);
    }


    [Test]
    public async Task Payloads_everywhere_render_inert()
    {
        const string X = "\"'><script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)>javascript:alert(4)";
        var builder = _database.CreateBuilder(o => o.TrackAllExceptions = true);
        builder.Services.AddErrorTracker().UseViewPermission(new Everyone());
        await using var app = builder.Build();
        app.UseErrorTracker();
        app.MapErrorTracker();
        app.MapGroup("").CaptureArguments().MapPost("/x/{id}", string (string id, [FromBody] Dictionary<string, string> body) => throw new InvalidOperationException(X));
        await app.StartAsync();
        var client = app.GetTestClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/x/" + Uri.EscapeDataString(X) + "?" + Uri.EscapeDataString(X) + "=" + Uri.EscapeDataString(X))
        {
            Content = new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { [X] = X }), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Evil", X);
        request.Headers.TryAddWithoutValidation("Referer", "javascript:alert(5)");
        request.Headers.TryAddWithoutValidation("Cookie", "a=" + Uri.EscapeDataString(X));
        try { await client.SendAsync(request); } catch (InvalidOperationException) { }
        var hash = (await TestDatabase.RecordsAsync(app)).Single().Hash;
        var browser = new Browserless(client);
        foreach (var url in new[] { "/dev/error/", $"/dev/error/{hash}", "/dev/error/?q=" + Uri.EscapeDataString(X) + "&host=" + Uri.EscapeDataString(X) })
        {
            var (_, page) = await browser.GetAsync(url);
            page.QuerySelectorAll("script").Select(e => e.GetAttribute("src")).Should().Equal("/dev/error/_assets/dashboard.js");
            page.QuerySelectorAll("img, iframe, object, embed, base, meta[http-equiv]").Should().BeEmpty();
            page.All.SelectMany(e => e.Attributes).Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)).Should().BeEmpty();
            page.QuerySelectorAll("[href], [action], [src]").SelectMany(e => new[] { e.GetAttribute("href"), e.GetAttribute("action"), e.GetAttribute("src") })
                .Where(v => v is not null).Should().OnlyContain(v => v!.StartsWith("/dev/error/"));
            page.QuerySelectorAll("[id]").Select(e => e.Id).Should().BeSubsetOf(new[] { "traceback-text" });
        }
    }

    // Sends the start of a body, then holds the rest back until the test lets it go (or a minute has passed).
    private sealed class SlowContent : HttpContent
    {
        private readonly TaskCompletionSource _rest = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _restSent;

        public bool RestSent => _restSent;

        public void SendRest() => _rest.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"a\":\"0123456789"));
            await stream.FlushAsync();
            await _rest.Task.WaitAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _restSent = true;
            await stream.WriteAsync(Encoding.UTF8.GetBytes("never-read-by-the-app\"}"));
        }

        protected override bool TryComputeLength(out long length) { length = -1; return false; }
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_failure_after_a_partial_read_is_not_held_up_by_the_rest_of_the_body(bool track)
    {
        var builder = _database.CreateBuilder();
        await using var app = builder.Build();
        if (track) app.UseErrorTracker();
        app.MapPost("/upload", async (HttpRequest request) =>
        {
            var buffer = new byte[5];
            await request.Body.ReadExactlyAsync(buffer);
            throw new InvalidOperationException("refused after 5 bytes");
        });
        await app.StartAsync();
        var content = new SlowContent();
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        try
        {
            try { await app.GetTestClient().PostAsync("/upload", content); } catch (InvalidOperationException) { }
            content.RestSent.Should().BeFalse("the failure surfaced while the rest of the body was still being held back");
        }
        finally
        {
            content.SendRest();
        }

        if (track)
        {
            var hash = (await TestDatabase.RecordsAsync(app)).Single().Hash;
            var body = (await TestDatabase.DetailAsync(app, hash)).LatestOccurrence.RequestData.Single(v => v.Name == "body");
            TestContext.Out.WriteLine("recorded body: " + ValueText.Format(body.Value));
        }
    }


    // A fire-and-forget task started in request A records after A ended: it must not describe whatever request
    // Kestrel now runs on the reused HttpContext.
    [Test]
    public async Task A_recording_after_the_request_ended_never_describes_another_request()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddErrorTracker().UseSqlite($"Data Source={_database.File}");
        await using var app = builder.Build();
        app.UseErrorTracker();
        var started = new TaskCompletionSource();
        var recorded = new TaskCompletionSource();
        var proceed = new TaskCompletionSource();
        app.MapGet("/a", (IErrorTracker tracker) =>
        {
            _ = Task.Run(async () =>
            {
                await proceed.Task;
                tracker.RecordException(new InvalidOperationException("background failure of request A"));
                recorded.SetResult();
            });
            return "a";
        });
        app.MapGet("/b", async () => { proceed.TrySetResult(); await recorded.Task; return "b"; });
        await app.StartAsync();
        var address = app.Urls.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        (await client.GetStringAsync("/a")).Should().Be("a");
        var b = new HttpRequestMessage(HttpMethod.Get, "/b");
        b.Headers.Add("X-Request-Of", "B");
        await client.SendAsync(b);
        var record = (await TestDatabase.RecordsAsync(app)).Single();
        var detail = await TestDatabase.DetailAsync(app, record.Hash);
        var headers = string.Join(",", detail.LatestOccurrence.RequestData.Where(v => v.Name == "headers").Select(v => ValueText.Format(v.Value)));
        TestContext.Out.WriteLine($"recorded path={record.Path} headers={headers}");
        record.Path.Should().NotBe("/b");
        headers.Should().NotContain("X-Request-Of");
    }
}
