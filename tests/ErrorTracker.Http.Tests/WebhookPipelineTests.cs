using System.Net;
using ErrorTracking.Configuration;
using ErrorTracking.Http.Tests.Support;
using ErrorTracking.Notification;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.Http.Tests;

/// <summary>
/// The whole pipeline, from a recorded exception to a webhook: an application registers the tracker and the webhook
/// notifier, records real exceptions, and a real server on loopback says what arrived.
/// </summary>
public sealed class WebhookPipelineTests
{
    // Made at run time: a literal would be in this file's source, which a traceback's source context could show.
    private static readonly string Secret = "whsec-" + Guid.NewGuid().ToString("N");
    private static readonly string SecretPath = "hooks/T0001/B0002/" + Guid.NewGuid().ToString("N");

    private LoopbackServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await LoopbackServer.StartAsync(endpoints =>
        endpoints.MapPost("/" + SecretPath, () => Results.Text("ok")));

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Every_occurrence_posts_one_JSON_notification_each_with_the_group_as_it_stood()
    {
        await using var app = Start(o => o.NotificationPolicy = DeliveryPolicy.EveryOccurrence);

        var hash = app.Fail();
        app.Fail();
        app.Fail();
        await app.FlushAsync();

        var requests = _server.Requests;
        requests.Should().HaveCount(3);
        requests.Should().OnlyContain(r => r.Method == "POST" && r.Path == "/" + SecretPath && r.Header("X-Webhook-Secret") == Secret);
        requests.Select(r => r.Json.GetProperty("group").GetProperty("count").GetInt64()).Should().Equal(1, 2, 3);
        var json = requests[0].Json;
        json.GetProperty("subject").GetString().Should().Be("[Shop] System.InvalidOperationException: Order 42 could not be placed");
        json.GetProperty("text").GetString().Should().StartWith("Occurrences: 1\n")
            .And.Contain($"Dashboard: {Samples.Dashboard}/{hash}")
            .And.Contain("at ErrorTracking.Http.Tests.Support.Checkout.PlaceOrder(");
        json.GetProperty("dashboardLink").GetString().Should().Be($"{Samples.Dashboard}/{hash}");
        json.GetProperty("heldBack").GetInt32().Should().Be(0);
        json.GetProperty("group").GetProperty("hash").GetString().Should().Be(hash);
        json.GetProperty("group").GetProperty("exception").GetString().Should().Be("System.InvalidOperationException");
        json.GetProperty("group").GetProperty("status").GetString().Should().Be("Unresolved");
        json.GetProperty("occurrence").GetProperty("timestamp").GetDateTimeOffset().Should().Be(app.Clock.GetUtcNow());
        (await app.GroupAsync(hash)).NotificationSent.Should().BeTrue();
    }

    [Test]
    public async Task Slack_format_posts_one_text_message_per_notification()
    {
        await using var app = Start(_ => { }, WebhookFormat.Slack);

        var hash = app.Fail();
        app.Fail();
        await app.FlushAsync();

        var json = _server.Requests.Should().ContainSingle("the default policy notifies a new group once within the hour").Subject.Json;
        json.EnumerateObject().Select(p => p.Name).Should().Equal("text");
        var text = json.GetProperty("text").GetString()!;
        text.Should().StartWith("`[Shop] System.InvalidOperationException: Order 42 could not be placed`\n")
            .And.Contain($"<{Samples.Dashboard}/{hash}|Open the group on the dashboard>")
            .And.Contain("```\nSystem.InvalidOperationException: Order 42 could not be placed\n   at ErrorTracking.Http.Tests.Support.Checkout.PlaceOrder(")
            .And.EndWith("```");
    }

    [Test]
    public async Task The_default_policy_posts_a_new_group_a_recurrence_after_the_quiet_hour_and_a_regression()
    {
        await using var app = Start(_ => { });
        var first = app.Clock.GetUtcNow();

        var hash = app.Fail();
        await app.FlushAsync();
        app.Clock.SetUtcNow(first.AddMinutes(59));
        app.Fail();
        await app.FlushAsync();
        _server.Requests.Should().ContainSingle();

        app.Clock.SetUtcNow(first.AddMinutes(61));
        app.Fail();
        await app.FlushAsync();
        _server.Requests.Should().HaveCount(2);

        app.Clock.SetUtcNow(first.AddMinutes(62));
        await app.ResolveAsync(hash);
        app.Fail();
        await app.FlushAsync();

        _server.Requests.Select(r => r.Json.GetProperty("group").GetProperty("count").GetInt64()).Should().Equal(1, 3, 4);
    }

    [Test]
    public async Task Two_500s_are_retried_and_the_notification_arrives_once()
    {
        await using var app = Start(_ => { });
        _server.FailNext(2);

        app.Fail();
        await app.FlushAsync();

        var requests = _server.Requests;
        requests.Should().HaveCount(3);
        requests.Select(r => r.Body).Distinct().Should().ContainSingle("every attempt posts the same notification");
        app.GivenUp().Should().BeEmpty();
    }

    [TestCase(HttpStatusCode.NotFound)]
    [TestCase(HttpStatusCode.Unauthorized)]
    [TestCase(HttpStatusCode.UnprocessableEntity)]
    public async Task An_answer_that_says_the_request_is_wrong_is_not_retried(HttpStatusCode refusal)
    {
        await using var app = Start(o => o.DeliveryAttempts = 3);
        _server.FailNext(1, refusal);

        var hash = app.Fail();
        await app.FlushAsync();

        _server.Requests.Should().HaveCount(1, "the same request would be refused again");
        app.GivenUp().Should().ContainSingle().Which.Message.Should().Contain($"WebhookNotifier for group {hash} after 1 attempt(s), without retrying")
            .And.Contain($"answered {(int)refusal} ({refusal})");
    }

    [TestCase(HttpStatusCode.TooManyRequests)]
    [TestCase(HttpStatusCode.Forbidden)]
    [TestCase(HttpStatusCode.RequestTimeout)]
    public async Task An_answer_that_may_pass_with_time_is_retried_and_the_notification_arrives(HttpStatusCode later)
    {
        await using var app = Start(o => o.DeliveryAttempts = 3);
        _server.FailNext(2, later);

        app.Fail();
        await app.FlushAsync();

        _server.Requests.Should().HaveCount(3);
        app.GivenUp().Should().BeEmpty();
    }

    [Test]
    public async Task A_notification_that_fails_every_attempt_is_logged_once_without_the_secret_header_or_path()
    {
        await using var app = Start(o => o.DeliveryAttempts = 3);
        _server.FailNext(3, message: $"rejected {Secret} at {SecretPath}");

        var hash = app.Fail();
        await app.FlushAsync();

        _server.Requests.Should().HaveCount(3);
        var warning = app.GivenUp().Should().ContainSingle().Subject;
        warning.Message.Should().Contain($"WebhookNotifier for group {hash} after 3 attempt(s)")
            .And.Contain($"The webhook answered 500 (InternalServerError) to the request to notify (POST to {_server.Address.Authority}).");
        var logs = app.Logs.Entries;
        logs.Where(e => e.Category == "ErrorTracking.Http").Should().HaveCount(3, "one line per request");
        logs.Where(e => e.AllText.Contains(Secret, StringComparison.Ordinal) || e.AllText.Contains(SecretPath, StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Test]
    public async Task Past_the_cap_the_held_back_notifications_arrive_as_one_summary_when_the_minute_is_over()
    {
        await using var app = Start(o =>
        {
            o.MaxNotificationsPerMinute = 2;
            o.Fingerprint = occurrence => occurrence.Message;
        });

        for (var order = 1; order <= 5; order++)
        {
            app.Fail($"Order {order} could not be placed");
        }

        await app.FlushAsync();
        _server.Requests.Should().HaveCount(2);

        // The summary waits for the cap's minute on the tracker's clock.
        var capped = app.Clock.GetUtcNow();
        await app.AdvanceClockUntil(() => _server.Requests.Count == 3, TimeSpan.FromSeconds(15));

        (app.Clock.GetUtcNow() - capped).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMinutes(1));

        var summary = _server.Requests[2].Json;
        summary.GetProperty("heldBack").GetInt32().Should().Be(3);
        summary.GetProperty("subject").GetString().Should().Be("[Shop] 3 more error notification(s) held back");
        summary.GetProperty("text").GetString().Should().Contain("Order 3 could not be placed")
            .And.Contain("Order 4 could not be placed")
            .And.Contain("Order 5 could not be placed");
    }

    [Test]
    public async Task The_READMEs_webhook_registration_without_recipients_posts()
    {
        await using var app = TrackedApplication.Start(
            o => o.SendNotification = true,
            tracker => tracker.AddWebhookNotifier(o => o.Url = _server.Url(SecretPath)));

        app.Fail();
        await app.FlushAsync();

        _server.Requests.Should().ContainSingle();
    }

    private TrackedApplication Start(Action<ErrorTrackerOptions> configure, WebhookFormat format = WebhookFormat.Json) =>
        TrackedApplication.Start(
            options =>
            {
                // The pipeline notifies only with recipients and a sender, webhooks included.
                options.SendNotification = true;
                options.RecipientEmails = ["ops@example.com"];
                options.EmailSender = "errors@example.com";
                options.SubjectPrefix = "Shop";
                configure(options);
            },
            tracker => tracker.AddWebhookNotifier(options =>
            {
                options.Url = _server.Url(SecretPath);
                options.Format = format;
                options.Headers["X-Webhook-Secret"] = Secret;
            }));
}
