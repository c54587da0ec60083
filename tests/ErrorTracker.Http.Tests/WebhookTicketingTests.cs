using System.Net;
using ErrorTracking.Http.Tests.Support;
using ErrorTracking.Ticketing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.Http.Tests;

public sealed class WebhookTicketingTests
{
    private const string Secret = "tkt-0a1b2c3d4e5f60718293a4b5c6d7e8f9";

    private LoopbackServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await LoopbackServer.StartAsync(endpoints =>
    {
        endpoints.MapPost("/tickets", () => Results.Json(new { id = 17, status = "open" }, statusCode: StatusCodes.Status201Created));
        endpoints.MapPost("/nested", () => Results.Json(new { ticket = new { key = "OPS-12" } }));
        endpoints.MapPost("/missing", () => Results.Json(new { status = "open" }));
        endpoints.MapPost("/html", () => Results.Content("<html>accepted</html>", "text/html"));
        endpoints.MapPost("/tickets/{reference}/comments", () => Results.NoContent());
    });

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Raising_posts_the_ticket_with_the_header_and_returns_the_id_from_the_answer()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookTicketing(options => Configure(options, "tickets")));
        var occurrence = Samples.Occurrence();
        var record = Samples.Record(occurrence, count: 4);

        var reference = await Ticketing(services).RaiseTicketAsync(record, occurrence, CancellationToken.None);

        reference.Should().Be("17");
        var request = _server.Requests.Should().ContainSingle().Subject;
        request.Path.Should().Be("/tickets");
        request.Header("X-Api-Key").Should().Be(Secret);
        var json = request.Json;
        json.GetProperty("title").GetString().Should().Be("System.InvalidOperationException: Order 42 could not be placed (POST /orders/42)");
        json.GetProperty("text").GetString().Should().StartWith("URL: POST https://shop.example.com/orders/42?coupon=**************\nOccurrences: 4\n")
            .And.Contain("System.InvalidOperationException: Order 42 could not be placed\n   at Shop.OrderService.Place(int id)");
        json.GetProperty("dashboardLink").GetString().Should().Be($"{Samples.Dashboard}/{record.Hash}");
        json.GetProperty("group").GetProperty("hash").GetString().Should().Be(record.Hash);
        json.GetProperty("group").GetProperty("count").GetInt64().Should().Be(4);
        json.GetProperty("occurrence").GetProperty("url").GetString().Should().Be(occurrence.Url);
    }

    [Test]
    public async Task A_dotted_reference_property_reads_a_nested_string()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookTicketing(options =>
        {
            Configure(options, "nested");
            options.ReferenceProperty = "ticket.key";
        }));
        var occurrence = Samples.Occurrence();

        (await Ticketing(services).RaiseTicketAsync(Samples.Record(occurrence), occurrence, CancellationToken.None)).Should().Be("OPS-12");
    }

    [Test]
    public async Task Updating_posts_to_the_update_address_with_the_reference_escaped()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookTicketing(options => Configure(options, "tickets")));
        var occurrence = Samples.Occurrence();

        await Ticketing(services).UpdateTicketAsync("OPS/12 x", Samples.Record(occurrence, count: 9), occurrence, CancellationToken.None);

        var request = _server.Requests.Should().ContainSingle().Subject;
        request.Path.Should().Be("/tickets/OPS%2F12%20x/comments");
        request.Header("X-Api-Key").Should().Be(Secret);
        var json = request.Json;
        json.GetProperty("reference").GetString().Should().Be("OPS/12 x");
        json.GetProperty("text").GetString().Should().StartWith("Happened again: 9 occurrences in all, last seen 2026-01-01 02:00:00Z.");
        json.GetProperty("group").GetProperty("count").GetInt64().Should().Be(9);
    }

    [Test]
    public async Task An_answer_without_the_reference_throws_naming_the_property()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookTicketing(options => Configure(options, "missing")));
        var occurrence = Samples.Occurrence();

        var failure = await FluentActions.Awaiting(() => Ticketing(services).RaiseTicketAsync(Samples.Record(occurrence), occurrence, CancellationToken.None))
            .Should().ThrowAsync<InvalidDataException>();

        failure.Which.Message.Should().Contain("'id'");
    }

    [Test]
    public async Task An_answer_that_is_not_JSON_throws()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookTicketing(options => Configure(options, "html")));
        var occurrence = Samples.Occurrence();

        var failure = await FluentActions.Awaiting(() => Ticketing(services).RaiseTicketAsync(Samples.Record(occurrence), occurrence, CancellationToken.None))
            .Should().ThrowAsync<InvalidDataException>();

        failure.Which.Message.Should().Contain("did not answer with JSON");
    }

    [Test]
    public async Task A_failure_status_throws_with_the_status_and_without_the_header()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookTicketing(options => Configure(options, "tickets")));
        var occurrence = Samples.Occurrence();
        _server.FailNext(1, HttpStatusCode.ServiceUnavailable, "maintenance");

        var failure = await FluentActions.Awaiting(() => Ticketing(services).UpdateTicketAsync("17", Samples.Record(occurrence), occurrence, CancellationToken.None))
            .Should().ThrowAsync<HttpRequestException>();

        failure.Which.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        failure.Which.Message.Should().Contain("503").And.Contain("update a ticket").And.EndWith(": maintenance").And.NotContain(Secret);
    }

    private void Configure(WebhookTicketingOptions options, string create)
    {
        options.CreateUrl = _server.Url(create);
        options.UpdateUrl = _server.Address + "tickets/{reference}/comments";
        options.Headers["X-Api-Key"] = Secret;
    }

    private static WebhookTicketing Ticketing(ServiceProvider services) => services.GetServices<ITicketing>().OfType<WebhookTicketing>().Single();
}
