using System.Net;
using System.Net.Http.Json;
using System.Text;
using ErrorTracking.AspNetCore.Tests.Support;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.AspNetCore.Tests;

public sealed class CaptureMiddlewareTests
{
    // Made at run time: a literal would be in this file's source, which the source context shows as it is.
    private static readonly string Secret = "S3cr3t-" + Guid.NewGuid().ToString("N");

    private TestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase() => _database = new TestDatabase();

    [TearDown]
    public void RemoveDatabase() => _database.Dispose();

    private async Task<WebApplication> StartAsync(Action<ErrorTracking.Configuration.ErrorTrackerOptions>? configure = null, bool exceptionHandler = false,
        Action<IServiceCollection>? services = null)
    {
        var builder = _database.CreateBuilder(configure);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        if (exceptionHandler)
        {
            app.UseExceptionHandler(handler => handler.Run(context =>
            {
                context.Response.StatusCode = 500;
                return context.Response.WriteAsync("handled");
            }));
        }

        app.UseErrorTracker();
        // One handler for GET and POST, as upstream's test route: the same failure whatever the method.
        app.MapMethods("/orders/{id:int}", ["GET", "POST"], async (int id, HttpContext context) =>
        {
            // Like model binding: the application reads the body before it fails.
            await new StreamReader(context.Request.Body).ReadToEndAsync();
            return Fail(id);
        });
        app.MapPost("/login", async (HttpContext context) =>
        {
            await context.Request.ReadFormAsync();
            return FailLogin();
        });
        app.MapGet("/manual", (IErrorTracker tracker) =>
        {
            var hash = tracker.RecordException(new InvalidOperationException("recorded by the endpoint"));
            return Results.Ok(hash);
        });
        app.MapGet("/manual-static", () => Results.Ok(ErrorTracker.RecordException(new InvalidOperationException("recorded through the facade"))));
        app.MapGet("/ok", () => "fine");
        app.MapPut("/unread", () => Fail(11));
        app.MapGet("/dev/error/anything", () => Fail(1));
        await app.StartAsync();
        return app;
    }

    private static string Fail(int id) => throw new InvalidOperationException($"Order {id} is closed");

    private static string FailLogin() => throw new UnauthorizedAccessException("The account is locked.");

    private static Task<IReadOnlyList<ErrorRecord>> RecordsAsync(WebApplication app) => TestDatabase.RecordsAsync(app);

    [Test]
    public async Task The_same_failing_route_twice_is_one_group_and_a_post_to_it_makes_three()
    {
        await using var app = await StartAsync();
        var client = app.GetTestClient();

        await FluentActions.Awaiting(() => client.GetAsync(new Uri("/orders/1", UriKind.Relative))).Should().ThrowAsync<InvalidOperationException>();
        await FluentActions.Awaiting(() => client.GetAsync(new Uri("/orders/2", UriKind.Relative))).Should().ThrowAsync<InvalidOperationException>();
        var afterTwo = (await RecordsAsync(app)).Should().ContainSingle().Subject;
        await FluentActions.Awaiting(() => client.PostAsync(new Uri("/orders/3", UriKind.Relative), null)).Should().ThrowAsync<InvalidOperationException>();

        afterTwo.Count.Should().Be(2);
        var record = (await RecordsAsync(app)).Should().ContainSingle().Subject;
        record.Hash.Should().Be(afterTwo.Hash);
        record.Count.Should().Be(3);
        record.CreatedOn.Should().Be(afterTwo.CreatedOn);
        record.Method.Should().Be("GET");
        record.Path.Should().Be("/orders/1");
        record.Host.Should().Be("localhost");
    }

    [Test]
    public async Task Exceptions_handled_by_the_exception_handler_are_recorded_exactly_once()
    {
        await using var app = await StartAsync(exceptionHandler: true);
        var client = app.GetTestClient();

        var response = await client.GetAsync(new Uri("/orders/5", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        (await response.Content.ReadAsStringAsync()).Should().Be("handled");
        var record = (await RecordsAsync(app)).Should().ContainSingle().Subject;
        record.Count.Should().Be(1);
        record.ExceptionName.Should().Be("System.InvalidOperationException");
    }

    [Test]
    public async Task Not_found_is_recorded_only_when_tracking_all_exceptions()
    {
        await using (var quiet = await StartAsync())
        {
            (await quiet.GetTestClient().GetAsync(new Uri("/missing", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await RecordsAsync(quiet)).Should().BeEmpty();
        }

        await using var tracking = await StartAsync(o => o.TrackAllExceptions = true);
        var client = tracking.GetTestClient();
        await client.GetAsync(new Uri("/missing", UriKind.Relative));
        await client.GetAsync(new Uri("/missing", UriKind.Relative));
        await client.GetAsync(new Uri("/ok", UriKind.Relative));

        var record = (await RecordsAsync(tracking)).Should().ContainSingle().Subject;
        record.Message.Should().Be("HTTP 404 Not Found: GET (no endpoint)");
        record.Path.Should().Be("/missing");
        record.Count.Should().Be(2);
    }

    [Test]
    public async Task Dashboard_requests_are_never_recorded()
    {
        await using var app = await StartAsync();

        await FluentActions.Awaiting(() => app.GetTestClient().GetAsync(new Uri("/dev/error/anything", UriKind.Relative)))
            .Should().ThrowAsync<InvalidOperationException>();

        (await RecordsAsync(app)).Should().BeEmpty();
    }

    [Test]
    public async Task Recording_inside_a_request_picks_up_its_context()
    {
        await using var app = await StartAsync();

        var response = await app.GetTestClient().GetAsync(new Uri("/manual?page=2", UriKind.Relative));

        var hash = await response.Content.ReadFromJsonAsync<string>();
        (await RecordsAsync(app)).Should().ContainSingle();
        var occurrence = (await app.Services.GetRequiredService<IErrorStore>().GetAsync(hash!, CancellationToken.None))!.FirstOccurrence;
        occurrence.Path.Should().Be("/manual");
        occurrence.Method.Should().Be("GET");
        occurrence.Url.Should().Be("http://localhost/manual");
        Rendering.ValueText.Format(occurrence.RequestData.Single(r => r.Name == "query").Value).Should().Be("{ page: \"2\" }");
        occurrence.RequestData.Should().Contain(r => r.Name == "route" && r.Value.Text == "/manual");
    }

    [Test]
    public async Task Recording_through_the_static_facade_inside_a_request_picks_up_its_context()
    {
        await using var app = await StartAsync();

        var response = await app.GetTestClient().GetAsync(new Uri("/manual-static?page=3", UriKind.Relative));

        var hash = await response.Content.ReadFromJsonAsync<string>();
        hash.Should().NotBeNullOrEmpty();
        await RecordsAsync(app);
        var occurrence = (await app.Services.GetRequiredService<IErrorStore>().GetAsync(hash!, CancellationToken.None))!.FirstOccurrence;
        occurrence.Message.Should().Be("recorded through the facade");
        occurrence.Path.Should().Be("/manual-static");
        occurrence.Host.Should().Be("localhost");
        Rendering.ValueText.Format(occurrence.RequestData.Single(r => r.Name == "query").Value).Should().Be("{ page: \"3\" }");
    }

    [Test]
    public async Task Posted_passwords_json_secrets_credentials_and_cookies_never_reach_the_database()
    {
        await using (var app = await StartAsync())
        {
            var client = app.GetTestClient();
            var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "bob", ["password"] = Secret });
            using var formRequest = new HttpRequestMessage(HttpMethod.Post, "/login?access_token=" + Secret) { Content = form };
            formRequest.Headers.Add("Authorization", "Bearer " + Secret);
            formRequest.Headers.Add("Cookie", "session=" + Secret);
            formRequest.Headers.Add("X-Api-Key", Secret);
            await FluentActions.Awaiting(() => client.SendAsync(formRequest)).Should().ThrowAsync<UnauthorizedAccessException>();

            var json = new StringContent("{\"order\":{\"id\":7,\"card\":{\"brand\":\"visa\",\"cvv\":\"123\",\"secret\":\"" + Secret + "\"}}}", Encoding.UTF8, "application/json");
            await FluentActions.Awaiting(() => client.PostAsync(new Uri("/orders/7", UriKind.Relative), json)).Should().ThrowAsync<InvalidOperationException>();

            var records = await RecordsAsync(app);
            records.Should().HaveCount(2);
            var login = (await app.Services.GetRequiredService<IErrorStore>().GetAsync(records.Single(r => r.Path == "/login").Hash, CancellationToken.None))!.FirstOccurrence;
            var request = login.RequestData.ToDictionary(r => r.Name, r => Rendering.ValueText.Format(r.Value));
            request["form"].Should().Contain("user: \"bob\"").And.Contain("password: **************");
            request["headers"].Should().Contain("Authorization: **************").And.Contain("Cookie: **************");
            request["cookies"].Should().Be("{ session: ************** }", "cookie names stay visible though 'cookie' is a default fragment");
            var order = (await app.Services.GetRequiredService<IErrorStore>().GetAsync(records.Single(r => r.Path == "/orders/7").Hash, CancellationToken.None))!.FirstOccurrence;
            Rendering.ValueText.Format(order.RequestData.Single(r => r.Name == "body").Value).Should().Contain("brand: \"visa\"").And.Contain("cvv: **************").And.Contain("secret: **************");
        }

        var raw = await _database.RawTextAsync();
        raw.Should().Contain("/login").And.NotContain(Secret).And.NotContain(Secret[7..]);
    }

    [Test]
    public async Task Credential_headers_and_cookie_values_are_masked_whatever_the_key_list()
    {
        // A local, not the fixture's static: with "secret" off the key list a static would be captured as it is.
        var planted = "S3cr3t-" + Guid.NewGuid().ToString("N");
        await using var app = await StartAsync(o => o.MaskedKeyHas = ["password"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/9");
        request.Headers.Add("Authorization", "Bearer " + planted);
        request.Headers.Add("Cookie", "session=" + planted);

        await FluentActions.Awaiting(() => app.GetTestClient().SendAsync(request)).Should().ThrowAsync<InvalidOperationException>();

        var record = (await RecordsAsync(app)).Should().ContainSingle().Subject;
        var occurrence = (await app.Services.GetRequiredService<IErrorStore>().GetAsync(record.Hash, CancellationToken.None))!.FirstOccurrence;
        var data = occurrence.RequestData.ToDictionary(r => r.Name, r => Rendering.ValueText.Format(r.Value));
        data["cookies"].Should().Contain("session: \"**************\"", "the cookie's name is kept, its value never");
        data["headers"].Should().Contain("Authorization: \"**************\"");
        System.Text.Json.JsonSerializer.Serialize(occurrence).Should().NotContain(planted);
    }

    [TestCase(null, TestName = "Cookie names are shown and every value masked, with the default key list")]
    [TestCase("password", TestName = "Cookie names are shown and every value masked, with a key list that does not mention cookies")]
    public async Task Cookie_names_are_shown_and_every_value_masked(string? onlyFragment)
    {
        var planted = "S3cr3t-" + Guid.NewGuid().ToString("N");
        await using var app = await StartAsync(o => o.MaskedKeyHas = onlyFragment is null ? o.MaskedKeyHas : [onlyFragment]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/9");
        request.Headers.Add("Cookie", $"theme={planted}; .AspNetCore.Antiforgery.x1={planted}; session={planted}");

        await FluentActions.Awaiting(() => app.GetTestClient().SendAsync(request)).Should().ThrowAsync<InvalidOperationException>();

        var occurrence = await SingleOccurrenceAsync(app);
        var cookies = occurrence.RequestData.Single(r => r.Name == "cookies").Value;
        cookies.Kind.Should().Be(RecordedValueKind.Dictionary);
        cookies.Children.Select(c => c.Name).Should().BeEquivalentTo("theme", ".AspNetCore.Antiforgery.x1", "session");
        cookies.Children.Should().OnlyContain(c => c.Value.Text == "**************");
        System.Text.Json.JsonSerializer.Serialize(occurrence).Should().NotContain(planted);
    }

    [TestCase(null, TestName = "Header names are shown, secret ones masked by the rule and credentials always, with the default key list")]
    [TestCase("headers", TestName = "Header names are shown, secret ones masked by the rule and credentials always, with a key list naming the section")]
    public async Task Header_names_are_shown_secret_ones_masked_by_the_rule_and_credentials_always(string? extraFragment)
    {
        var planted = "S3cr3t-" + Guid.NewGuid().ToString("N");
        await using var app = await StartAsync(o => o.MaskedKeyHas = extraFragment is null ? o.MaskedKeyHas : ["api_key", extraFragment]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/9");
        request.Headers.Add("X-Api-Key", planted);
        request.Headers.Add("Proxy-Authorization", "Basic " + planted);
        request.Headers.Add("X-Request-Tag", "blue");

        await FluentActions.Awaiting(() => app.GetTestClient().SendAsync(request)).Should().ThrowAsync<InvalidOperationException>();

        var headers = (await SingleOccurrenceAsync(app)).RequestData.Single(r => r.Name == "headers").Value;
        headers.Kind.Should().Be(RecordedValueKind.Dictionary);
        var byName = headers.Children.ToDictionary(c => c.Name, c => c.Value);
        byName["X-Request-Tag"].Text.Should().Be("blue");
        byName["X-Api-Key"].Kind.Should().Be(RecordedValueKind.Masked);
        byName["Proxy-Authorization"].Text.Should().Be("**************");
    }

    [Test]
    public async Task The_antiforgery_token_is_masked_with_an_empty_key_list()
    {
        var planted = "S3cr3t-" + Guid.NewGuid().ToString("N");
        await using var app = await StartAsync(
            o => o.MaskedKeyHas = [],
            services: s => s.AddAntiforgery(a =>
            {
                a.FormFieldName = "af_field";
                a.HeaderName = "X-AF";
            }));
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user"] = "bob",
            ["__RequestVerificationToken"] = planted,
            ["af_field"] = planted,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = form };
        request.Headers.Add("RequestVerificationToken", planted);
        request.Headers.Add("X-AF", planted);

        await FluentActions.Awaiting(() => app.GetTestClient().SendAsync(request)).Should().ThrowAsync<UnauthorizedAccessException>();

        var occurrence = await SingleOccurrenceAsync(app);
        var data = occurrence.RequestData.ToDictionary(r => r.Name, r => Rendering.ValueText.Format(r.Value));
        data["form"].Should().Contain("user: \"bob\"").And.Contain("__RequestVerificationToken: \"**************\"").And.Contain("af_field: \"**************\"");
        data["headers"].Should().Contain("RequestVerificationToken: \"**************\"").And.Contain("X-AF: \"**************\"");
        System.Text.Json.JsonSerializer.Serialize(occurrence).Should().NotContain(planted);
    }

    private static async Task<ErrorEvent> SingleOccurrenceAsync(WebApplication app)
    {
        var record = (await RecordsAsync(app)).Should().ContainSingle().Subject;
        return (await TestDatabase.DetailAsync(app, record.Hash)).FirstOccurrence;
    }

    [Test]
    public async Task A_body_the_application_never_read_is_not_pulled_from_the_client()
    {
        await using var app = await StartAsync();
        var content = new StringContent("{\"big\":\"upload\"}", Encoding.UTF8, "application/json");

        await FluentActions.Awaiting(() => app.GetTestClient().PutAsync(new Uri("/unread", UriKind.Relative), content))
            .Should().ThrowAsync<InvalidOperationException>();

        var record = (await RecordsAsync(app)).Should().ContainSingle().Subject;
        var occurrence = (await app.Services.GetRequiredService<IErrorStore>().GetAsync(record.Hash, CancellationToken.None))!.FirstOccurrence;
        occurrence.RequestData.Single(r => r.Name == "body").Value.Text.Should().Be("<not read by the application>");
    }
}
