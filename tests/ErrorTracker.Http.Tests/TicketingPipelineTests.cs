using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ErrorTracking.Configuration;
using ErrorTracking.Http.Tests.Support;
using ErrorTracking.Notification;
using ErrorTracking.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Http.Tests;

/// <summary>
/// The whole pipeline, from a recorded exception to the issues API: an application registers the tracker and the
/// GitHub ticketing, records real exceptions, and the fake GitHub on loopback says what arrived.
/// </summary>
public sealed class TicketingPipelineTests
{
    // Made at run time: a literal would be in this file's source, which a traceback's source context could show.
    private static readonly string Token = "ghp_" + Guid.NewGuid().ToString("N");

    private FakeIssueTracker _github = null!;

    [SetUp]
    public async Task StartServer() => _github = await FakeIssueTracker.StartAsync(Token);

    [TearDown]
    public async Task StopServer() => await _github.DisposeAsync();

    [Test]
    public async Task Every_occurrence_opens_one_issue_then_comments_on_it_and_keeps_the_reference_on_the_group()
    {
        await using var app = Start(o => o.TicketPolicy = DeliveryPolicy.EveryOccurrence);

        // Recorded back to back: they may be stored in one batch and queued for delivery before the issue exists.
        var hashes = new[] { app.Fail(), app.Fail(), app.Fail() };
        await app.FlushAsync();

        hashes.Distinct().Should().ContainSingle("the three failures are one group");
        var hash = hashes[0];
        var issue = _github.Issues.Should().ContainSingle().Subject;
        issue.Number.Should().Be(1);
        issue.Title.Should().Be("System.InvalidOperationException: Order 42 could not be placed");
        issue.Labels.Should().Equal("error-tracker");
        issue.Body.Should().Contain("- **Occurrences:** 1")
            .And.Contain($"- **Group:** ` {hash} `")
            .And.Contain($"[the group's page](<{Samples.Dashboard}/{hash}>)")
            .And.Contain("System.InvalidOperationException: Order 42 could not be placed")
            .And.Contain("at ErrorTracking.Http.Tests.Support.Checkout.PlaceOrder(");
        issue.Comments.Should().HaveCount(2);
        issue.Comments[0].Should().StartWith("Happened again: 2 occurrences in all");
        issue.Comments[1].Should().StartWith("Happened again: 3 occurrences in all");
        _github.Requests.Select(r => r.Path).Should().Equal(
            "/repos/acme/shop/issues", "/repos/acme/shop/issues/1/comments", "/repos/acme/shop/issues/1/comments");
        _github.Requests.Should().OnlyContain(r => r.Header("Authorization") == $"Bearer {Token}");

        var group = await app.GroupAsync(hash);
        group.Count.Should().Be(3);
        group.TicketRaised.Should().BeTrue();
        group.TicketReference.Should().Be("{\"github\":\"1\"}");
        app.GivenUp().Should().BeEmpty();
    }

    [Test]
    public async Task By_default_recurrences_within_the_quiet_hour_add_nothing_and_one_after_it_adds_one_comment()
    {
        await using var app = Start(_ => { });
        var opened = app.Clock.GetUtcNow();

        var hash = app.Fail();
        await app.FlushAsync();
        foreach (var minutes in new[] { 1, 30, 59 })
        {
            app.Clock.SetUtcNow(opened.AddMinutes(minutes));
            app.Fail();
            await app.FlushAsync();
        }

        var issue = _github.Issues.Should().ContainSingle().Subject;
        issue.Comments.Should().BeEmpty("the recurrences came within the hour after the issue was opened");
        _github.Requests.Should().ContainSingle();

        app.Clock.SetUtcNow(opened.AddMinutes(61));
        app.Fail();
        await app.FlushAsync();

        issue.Comments.Should().ContainSingle().Which.Should().StartWith("Happened again: 5 occurrences in all, last seen 2026-03-01 13:01:00Z.");

        // The hour starts again from the comment.
        app.Clock.SetUtcNow(opened.AddMinutes(61 + 59));
        app.Fail();
        await app.FlushAsync();

        issue.Comments.Should().ContainSingle();
        _github.Issues.Should().ContainSingle();
        var group = await app.GroupAsync(hash);
        group.Count.Should().Be(6);
        group.LastTicketUpdateOn.Should().Be(opened.AddMinutes(61));
        group.TicketReference.Should().Be("{\"github\":\"1\"}");
    }

    [Test]
    public async Task A_resolved_group_that_happens_again_gets_a_comment_on_its_issue_not_a_new_issue()
    {
        await using var app = Start(_ => { });

        var hash = app.Fail();
        await app.FlushAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.ResolveAsync(hash);
        (await app.GroupAsync(hash)).TicketRaised.Should().BeFalse("resolving re-arms the ticket");

        app.Fail();
        await app.FlushAsync();

        var issue = _github.Issues.Should().ContainSingle().Subject;
        issue.Comments.Should().ContainSingle().Which.Should().StartWith("Happened again: 2 occurrences in all");
        _github.Requests.Select(r => r.Path).Should().Equal("/repos/acme/shop/issues", "/repos/acme/shop/issues/1/comments");
        var group = await app.GroupAsync(hash);
        group.Status.Should().Be(ErrorStatus.Unresolved);
        group.TicketRaised.Should().BeTrue();
        group.TicketReference.Should().Be("{\"github\":\"1\"}");
    }

    [Test]
    public async Task Ticket_once_opens_the_issue_and_never_comments()
    {
        await using var app = Start(o => o.TicketOnce = true);

        app.Fail();
        app.Fail();
        await app.FlushAsync();
        app.Clock.Advance(TimeSpan.FromDays(2));
        app.Fail();
        await app.FlushAsync();

        var issue = _github.Issues.Should().ContainSingle().Subject;
        issue.Comments.Should().BeEmpty();
        _github.Requests.Should().ContainSingle();
    }

    [Test]
    public async Task Ticket_once_does_not_comment_on_a_regression_either()
    {
        await using var app = Start(o => o.TicketOnce = true);

        var hash = app.Fail();
        await app.FlushAsync();
        await app.ResolveAsync(hash);
        app.Fail();
        await app.FlushAsync();

        _github.Issues.Should().ContainSingle().Which.Comments.Should().BeEmpty("TicketOnce raises a ticket once and never updates it");
        _github.Requests.Should().ContainSingle();
    }

    [Test]
    public async Task Two_failures_with_500_are_retried_and_the_issue_is_opened_once()
    {
        await using var app = Start(_ => { });
        _github.FailNext(2);

        var hash = app.Fail();
        await app.FlushAsync();

        _github.Requests.Should().HaveCount(3).And.OnlyContain(r => r.Path == "/repos/acme/shop/issues");
        _github.Issues.Should().ContainSingle().Which.Comments.Should().BeEmpty();
        (await app.GroupAsync(hash)).TicketReference.Should().Be("{\"github\":\"1\"}");
        app.GivenUp().Should().BeEmpty("the third attempt succeeded");
    }

    [Test]
    public async Task Retries_back_off_on_the_tracker_clock_two_seconds_then_four()
    {
        await using var app = Start(o => o.DeliveryRetryDelay = TimeSpan.FromSeconds(2));
        _github.FailNext(2);

        app.Fail();
        await TrackedApplication.Eventually(() => _github.Requests.Count == 1);
        var first = app.Clock.GetUtcNow();
        await app.AdvanceClockUntil(() => _github.Requests.Count == 2);
        var second = app.Clock.GetUtcNow();
        await app.AdvanceClockUntil(() => _github.Requests.Count == 3);
        var third = app.Clock.GetUtcNow();
        await app.FlushAsync();

        // The clock can only be ahead of a retry's timer, never behind it: these are lower bounds.
        (second - first).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2));
        (third - first).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2 + 4));
        _github.Issues.Should().ContainSingle();
        _github.Requests.Should().HaveCount(3);
    }

    [Test]
    public async Task A_raise_that_fails_every_attempt_is_logged_once_and_the_groups_next_occurrence_raises_it()
    {
        await using var app = Start(_ => { });
        var attempts = new ErrorTrackerOptions().DeliveryAttempts;
        _github.FailNext(attempts);

        var hash = app.Fail();
        await app.FlushAsync();

        _github.Requests.Should().HaveCount(attempts);
        _github.Issues.Should().BeEmpty();
        var warning = app.GivenUp().Should().ContainSingle().Subject;
        warning.Message.Should().Contain($"GitHubIssuesTicketing (github) for group {hash} after {attempts} attempt(s)")
            .And.Contain("The GitHub issues API answered 500 (InternalServerError) to the request to create an issue");
        var group = await app.GroupAsync(hash);
        group.TicketRaised.Should().BeFalse("the claim was given back");
        group.TicketReference.Should().BeNull();

        // Within the quiet hour: only the claim given back lets this occurrence raise the issue.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        app.Fail();
        await app.FlushAsync();

        var issue = _github.Issues.Should().ContainSingle().Subject;
        issue.Body.Should().Contain("- **Occurrences:** 2");
        _github.Requests.Should().HaveCount(attempts + 1);
        (await app.GroupAsync(hash)).TicketReference.Should().Be("{\"github\":\"1\"}");
        app.GivenUp().Should().ContainSingle("the success is not logged as a failure");

        app.Fail();
        await app.FlushAsync();
        _github.Requests.Should().HaveCount(attempts + 1, "the next occurrence is within the quiet hour");
    }

    [Test]
    public async Task An_api_that_does_not_answer_times_out_and_the_retry_opens_the_issue()
    {
        await using var app = Start(_ => { }, github => github.Timeout = TimeSpan.FromMilliseconds(500));
        _github.HangNext(1);
        var clock = Stopwatch.StartNew();

        var hash = app.Fail();
        await app.FlushAsync();

        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(400));
        _github.Requests.Should().HaveCount(2);
        _github.Issues.Should().ContainSingle();
        (await app.GroupAsync(hash)).TicketReference.Should().Be("{\"github\":\"1\"}");
        app.GivenUp().Should().BeEmpty();
    }

    [Test]
    public async Task The_token_appears_in_no_log_line_at_any_level_nor_in_any_issue_or_comment()
    {
        await using var app = Start(o =>
        {
            o.TicketPolicy = DeliveryPolicy.EveryOccurrence;
            o.DeliveryAttempts = 2;
        });
        // The API echoes the credentials it refuses: that must not reach the log through the exception.
        // Refused credentials are not retried: the first occurrence's issue is given up after one request.
        _github.FailNext(1, HttpStatusCode.Unauthorized, $"Bad credentials: Bearer {Token}");
        var leaky = new { apiToken = Token, header = $"Authorization: Bearer {Token}" };

        var hash = app.Fail($"The payment API refused Authorization: Bearer {Token}", leaky);
        await app.FlushAsync();
        app.Fail($"The payment API refused Authorization: Bearer {Token}", leaky);
        await app.FlushAsync();
        app.Fail($"The payment API refused Authorization: Bearer {Token}", leaky);
        await app.FlushAsync();

        // What was sent: the issue of the second occurrence and a comment for the third, with the token in the header only.
        var issue = _github.Issues.Should().ContainSingle().Subject;
        issue.Comments.Should().ContainSingle();
        _github.Requests.Should().HaveCount(3).And.OnlyContain(r => r.Header("Authorization") == $"Bearer {Token}");
        issue.Body.Should().Contain("apiToken").And.Contain(ErrorTrackerOptions.DefaultMask);
        new[] { issue.Title, issue.Body }.Concat(issue.Comments).Concat(_github.Requests.Select(r => r.Body))
            .Should().NotContain(text => text.Contains(Token, StringComparison.Ordinal));

        // What was logged: the failure once, the HTTP client's lines, and never the token.
        var logs = app.Logs.Entries;
        app.GivenUp().Should().ContainSingle().Which.Message.Should().Contain("401 (Unauthorized)").And.Contain($"group {hash}");
        logs.Where(e => e.Category == "ErrorTracking.Http").Should().HaveCount(3, "one line per request");
        logs.Should().NotContain(e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal),
            "the factory's default logging, which writes addresses and headers, is replaced");
        logs.Where(e => e.AllText.Contains(Token, StringComparison.Ordinal)).Should().BeEmpty();
        logs.Where(e => e.AllText.Contains(Token[4..20], StringComparison.Ordinal)).Should().BeEmpty("not even a part of it");
    }

    [Test]
    public async Task Two_ticketing_integrations_keep_both_references_on_the_group_and_each_updates_its_own()
    {
        await using var tickets = await LoopbackServer.StartAsync(endpoints =>
        {
            endpoints.MapPost("/tickets", () => Results.Json(new { ticket = new { key = "OPS-7" } }, statusCode: StatusCodes.Status201Created));
            endpoints.MapPost("/tickets/{reference}/comments", () => Results.NoContent());
        });
        await using var app = TrackedApplication.Start(
            o => o.TicketPolicy = DeliveryPolicy.EveryOccurrence,
            tracker => tracker
                .AddGitHubTicketing(ConfigureGitHub)
                .AddWebhookTicketing(o =>
                {
                    o.CreateUrl = tickets.Url("tickets");
                    o.UpdateUrl = tickets.Address + "tickets/{reference}/comments";
                    o.ReferenceProperty = "ticket.key";
                }));

        var hash = app.Fail();
        await app.FlushAsync();
        app.Fail();
        await app.FlushAsync();

        var stored = (await app.GroupAsync(hash)).TicketReference;
        JsonSerializer.Deserialize<Dictionary<string, string>>(stored!).Should().BeEquivalentTo(
            new Dictionary<string, string> { ["github"] = "1", ["webhook"] = "OPS-7" });
        _github.Issues.Should().ContainSingle().Which.Comments.Should().ContainSingle();
        tickets.Requests.Select(r => r.Path).Should().Equal("/tickets", "/tickets/OPS-7/comments");
    }

    [Test]
    public async Task A_ticketing_that_is_down_does_not_make_the_other_comment_within_the_quiet_hour()
    {
        await using var down = await LoopbackServer.StartAsync(endpoints => endpoints.MapPost("/tickets", () => Results.Json(new { id = 1 })));
        down.FailNext(1_000);
        await using var app = TrackedApplication.Start(
            o => o.DeliveryAttempts = 2,
            tracker => tracker
                .AddGitHubTicketing(ConfigureGitHub)
                .AddWebhookTicketing(o =>
                {
                    o.CreateUrl = down.Url("tickets");
                    o.UpdateUrl = down.Address + "tickets/{reference}/comments";
                }));

        for (var minute = 0; minute < 4; minute++)
        {
            app.Fail();
            await app.FlushAsync();
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        down.Requests.Should().HaveCount(2, "the group has a ticket, so it keeps its claim: the webhook's raise waits for the next claim");
        _github.Issues.Should().ContainSingle().Which.Comments.Should().BeEmpty("every occurrence came within the quiet hour after the issue was opened");

        app.Clock.Advance(TimeSpan.FromHours(1));
        app.Fail();
        await app.FlushAsync();
        down.Requests.Should().HaveCount(4, "after the quiet hour the missing ticket is tried again, twice");
        _github.Issues.Should().ContainSingle().Which.Comments.Should().ContainSingle("and the existing one gets its comment");
    }

    private TrackedApplication Start(Action<ErrorTrackerOptions> configure, Action<GitHubTicketingOptions>? github = null) =>
        TrackedApplication.Start(configure, tracker => tracker.AddGitHubTicketing(options =>
        {
            ConfigureGitHub(options);
            github?.Invoke(options);
        }));

    private void ConfigureGitHub(GitHubTicketingOptions options)
    {
        options.BaseUrl = _github.BaseUrl;
        options.Owner = "acme";
        options.Repository = "shop";
        options.Token = Token;
        options.Labels = ["error-tracker"];
    }
}
