using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ErrorTracking.Http.Tests.Support;
using ErrorTracking.Notification;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ErrorTracking.Testing;

namespace ErrorTracking.Http.Tests;

public sealed class WebhookNotifierTests
{
    private const string Secret = "whsec-5f4dcc3b5aa765d61d8327deb882cf99";
    private const string SecretPath = "hooks/T0001/B0002/abcdefSECRETpath";

    private LoopbackServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await LoopbackServer.StartAsync(endpoints =>
        endpoints.MapPost("/" + SecretPath, () => Results.Text("ok")));

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Posts_the_group_the_occurrence_the_subject_the_text_and_the_link_as_JSON_with_the_configured_header()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookNotifier(options => Configure(options)));
        var notification = Samples.Notification(count: 3) with { HeldBack = 2 };

        await Notifier(services).NotifyAsync(notification, CancellationToken.None);

        var request = _server.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/" + SecretPath);
        request.Header("X-Webhook-Secret").Should().Be(Secret);
        request.Header("Content-Type").Should().Be("application/json; charset=utf-8");
        request.Header("User-Agent").Should().StartWith("ErrorTracker.Http/");
        var json = request.Json;
        json.GetProperty("subject").GetString().Should().Be(notification.Subject);
        json.GetProperty("text").GetString().Should().Be(notification.Body);
        json.GetProperty("dashboardLink").GetString().Should().Be(notification.DashboardLink!.AbsoluteUri);
        json.GetProperty("heldBack").GetInt32().Should().Be(2);
        var group = json.GetProperty("group");
        group.GetProperty("hash").GetString().Should().Be(notification.Record.Hash);
        group.GetProperty("exception").GetString().Should().Be("System.InvalidOperationException");
        group.GetProperty("message").GetString().Should().Be("Order 42 could not be placed");
        group.GetProperty("host").GetString().Should().Be("shop.example.com");
        group.GetProperty("method").GetString().Should().Be("POST");
        group.GetProperty("path").GetString().Should().Be("/orders/42");
        group.GetProperty("count").GetInt64().Should().Be(3);
        group.GetProperty("firstSeen").GetDateTimeOffset().Should().Be(notification.Record.CreatedOn);
        group.GetProperty("lastSeen").GetDateTimeOffset().Should().Be(notification.Record.LastSeen);
        group.GetProperty("status").GetString().Should().Be("Unresolved");
        json.GetProperty("occurrence").GetProperty("url").GetString().Should().Be(notification.Occurrence.Url);
        json.GetProperty("occurrence").GetProperty("timestamp").GetDateTimeOffset().Should().Be(notification.Occurrence.Timestamp);
    }

    [Test]
    public async Task Slack_format_posts_a_text_with_the_subject_the_link_and_the_start_of_the_traceback()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookNotifier(options => Configure(options, WebhookFormat.Slack)));
        var notification = Samples.Notification();

        await Notifier(services).NotifyAsync(notification, CancellationToken.None);

        var json = _server.Requests.Should().ContainSingle().Subject.Json;
        json.EnumerateObject().Select(p => p.Name).Should().Equal("text");
        var text = json.GetProperty("text").GetString()!;
        text.Should().StartWith("`[Shop] [POST] https://shop.example.com/orders/42?coupon=************** System.InvalidOperationException: Order 42 could not be placed`\n");
        text.Should().Contain($"<{notification.DashboardLink!.AbsoluteUri}|Open the group on the dashboard>");
        text.Should().Contain("```\nSystem.InvalidOperationException: Order 42 could not be placed\n   at Shop.OrderService.Place(int id)");
        text.Should().EndWith("```");
    }

    [Test]
    public async Task Slack_format_keeps_recorded_text_from_mentioning_linking_or_ending_the_code()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookNotifier(options => Configure(options, WebhookFormat.Slack)));
        var hostile = "<!channel> see <https://evil.example|here> ```\n@all *now*";

        await Notifier(services).NotifyAsync(Samples.Notification(Samples.Occurrence(hostile)), CancellationToken.None);

        var text = _server.Requests.Single().Json.GetProperty("text").GetString()!;
        text.Should().NotContain("<!channel>").And.NotContain("<https://evil.example");
        text.Split("```").Should().HaveCount(3, "only the excerpt's own fences may appear");
        text.Should().Contain("\u2039!channel\u203A", "the recorded text stays readable");
    }

    [Test]
    public async Task A_long_traceback_is_cut_in_the_Slack_text()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookNotifier(options => Configure(options, WebhookFormat.Slack)));
        var message = string.Join('\n', Enumerable.Range(1, 100).Select(i => $"line {i} " + new string('x', 100)));

        await Notifier(services).NotifyAsync(Samples.Notification(Samples.Occurrence(message)), CancellationToken.None);

        var text = _server.Requests.Single().Json.GetProperty("text").GetString()!;
        text.Length.Should().BeLessThan(2_000);
        text.Should().Contain("line 1 ").And.NotContain("line 20 ").And.Contain("...\n```");
    }

    [Test]
    public async Task A_long_subject_is_cut_in_the_Slack_text()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookNotifier(options => Configure(options, WebhookFormat.Slack)));

        await Notifier(services).NotifyAsync(Samples.Notification() with { Subject = new string('s', 1_000) }, CancellationToken.None);

        var text = _server.Requests.Single().Json.GetProperty("text").GetString()!;
        text.Should().StartWith($"`{new string('s', 297)}...`\n");
    }

    [Test]
    public async Task A_failure_status_throws_with_the_status_and_neither_the_secret_header_nor_the_path()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookNotifier(options => Configure(options)));
        _server.FailNext(1, HttpStatusCode.BadGateway, "upstream said: " + Secret);

        var failure = await FluentActions.Awaiting(() => Notifier(services).NotifyAsync(Samples.Notification(), CancellationToken.None))
            .Should().ThrowAsync<HttpRequestException>();

        failure.Which.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        failure.Which.Message.Should().Contain("502").And.Contain("127.0.0.1")
            .And.NotContain(Secret).And.NotContain("SECRETpath").And.NotContain("upstream said");
    }

    [Test]
    public async Task A_service_that_does_not_answer_times_out_within_the_configured_timeout()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookNotifier(options => Configure(options, timeout: TimeSpan.FromSeconds(1))));
        _server.HangNext(1);
        var clock = Stopwatch.StartNew();

        var failure = await FluentActions.Awaiting(() => Notifier(services).NotifyAsync(Samples.Notification(), CancellationToken.None))
            .Should().ThrowAsync<TimeoutException>();

        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(900)).And.BeLessThan(TimeSpan.FromSeconds(5));
        failure.Which.Message.Should().Contain("00:00:01").And.NotContain("SECRETpath");
    }

    [Test]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        using var services = Samples.Services(tracker => tracker.AddWebhookNotifier(options => Configure(options)));
        _server.HangNext(1);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await FluentActions.Awaiting(() => Notifier(services).NotifyAsync(Samples.Notification(), cancel.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    [Test]
    public async Task Neither_the_secret_header_nor_the_webhooks_path_reaches_any_log()
    {
        var logs = new CapturedLogs();
        using var services = Samples.Services(tracker => tracker.AddWebhookNotifier(options => Configure(options, timeout: TimeSpan.FromSeconds(1))), logs);
        var notifier = Notifier(services);

        await notifier.NotifyAsync(Samples.Notification(), CancellationToken.None);
        _server.FailNext(1);
        await FluentActions.Awaiting(() => notifier.NotifyAsync(Samples.Notification(), CancellationToken.None)).Should().ThrowAsync<HttpRequestException>();
        _server.HangNext(1);
        await FluentActions.Awaiting(() => notifier.NotifyAsync(Samples.Notification(), CancellationToken.None)).Should().ThrowAsync<TimeoutException>();

        logs.Entries.Should().Contain(e => e.Category == "ErrorTracking.Http" && e.Message.Contains("127.0.0.1", StringComparison.Ordinal), "requests are still logged, redacted");
        logs.Entries.Should().NotContain(e => e.AllText.Contains(Secret, StringComparison.Ordinal) || e.AllText.Contains("SECRETpath", StringComparison.Ordinal));
    }

    private void Configure(WebhookNotifierOptions options, WebhookFormat format = WebhookFormat.Json, TimeSpan? timeout = null)
    {
        options.Url = _server.Url(SecretPath);
        options.Format = format;
        options.Headers["X-Webhook-Secret"] = Secret;
        options.Timeout = timeout ?? options.Timeout;
    }

    private static WebhookNotifier Notifier(ServiceProvider services) => services.GetServices<INotifier>().OfType<WebhookNotifier>().Single();
}
