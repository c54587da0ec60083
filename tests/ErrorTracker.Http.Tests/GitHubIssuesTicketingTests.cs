using System.Diagnostics;
using System.Net;
using ErrorTracking.Http.Tests.Support;
using ErrorTracking.Records;
using ErrorTracking.Ticketing;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.Extensions.DependencyInjection;
using ErrorTracking.Testing;

namespace ErrorTracking.Http.Tests;

public sealed class GitHubIssuesTicketingTests
{
    private const string Token = "ghp_R4nd0mT0k3nV4lu3ThatMustNeverLeak0001";

    private FakeIssueTracker _github = null!;

    [SetUp]
    public async Task StartServer() => _github = await FakeIssueTracker.StartAsync(Token);

    [TearDown]
    public async Task StopServer() => await _github.DisposeAsync();

    [Test]
    public async Task Raising_a_ticket_opens_an_issue_with_title_body_labels_and_the_token_and_returns_its_number()
    {
        using var services = Samples.Services(tracker => tracker.AddGitHubTicketing(Configure));
        var occurrence = Samples.Occurrence();
        var record = Samples.Record(occurrence, count: 2);

        var reference = await Ticketing(services).RaiseTicketAsync(record, occurrence, CancellationToken.None);

        reference.Should().Be("1");
        var request = _github.Requests.Should().ContainSingle().Subject;
        request.Path.Should().Be("/repos/acme/shop/issues");
        request.Header("Authorization").Should().Be($"Bearer {Token}");
        request.Header("Accept").Should().Be("application/vnd.github+json");
        request.Header("X-GitHub-Api-Version").Should().Be("2022-11-28");
        request.Header("User-Agent").Should().StartWith("ErrorTracker.Http/");
        var issue = _github.Issues.Should().ContainSingle().Subject;
        issue.Title.Should().Be("System.InvalidOperationException: Order 42 could not be placed (POST /orders/42)");
        issue.Labels.Should().Equal("bug", "error-tracker");
        issue.Body.Should().Contain("- **URL:** ` POST https://shop.example.com/orders/42?coupon=************** `")
            .And.Contain("- **Occurrences:** 2")
            .And.Contain("- **First seen:** 2026-01-01 00:00:00Z")
            .And.Contain("- **Last seen:** 2026-01-01 02:00:00Z")
            .And.Contain($"- **Dashboard:** [the group's page](<{Samples.Dashboard}/{record.Hash}>)")
            .And.Contain("```text\nSystem.InvalidOperationException: Order 42 could not be placed\n   at Shop.OrderService.Place(int id)")
            .And.Contain("id (variable) = 42");
    }

    [Test]
    public async Task Updating_comments_on_the_issue_whose_number_was_returned()
    {
        using var services = Samples.Services(tracker => tracker.AddGitHubTicketing(Configure));
        var ticketing = Ticketing(services);
        var first = Samples.Occurrence();
        await ticketing.RaiseTicketAsync(Samples.Record(first), first, CancellationToken.None);
        var other = Samples.Occurrence("Another group");
        var reference = await ticketing.RaiseTicketAsync(Samples.Record(other), other, CancellationToken.None);
        var again = Samples.Occurrence("Order 43 could not be placed", first.Timestamp.AddDays(1));

        await ticketing.UpdateTicketAsync(reference, Samples.Record(again, count: 7), again, CancellationToken.None);

        reference.Should().Be("2");
        _github.Requests[^1].Path.Should().Be("/repos/acme/shop/issues/2/comments");
        _github.Requests[^1].Header("Authorization").Should().Be($"Bearer {Token}");
        _github.Issues[0].Comments.Should().BeEmpty();
        var comment = _github.Issues[1].Comments.Should().ContainSingle().Subject;
        comment.Should().StartWith("Happened again: 7 occurrences in all, last seen 2026-01-02 02:00:00Z.")
            .And.Contain("- **URL:** ` POST https://shop.example.com/orders/42?coupon=************** `")
            .And.Contain($"[the group's page](<{Samples.Dashboard}/{again.Hash}>)")
            .And.Contain("```text\nSystem.InvalidOperationException: Order 43 could not be placed\n```");
    }

    [Test]
    public async Task An_enterprise_base_url_keeps_its_api_path()
    {
        await using var enterprise = await FakeIssueTracker.StartAsync(Token, apiPath: "/api/v3");
        using var services = Samples.Services(tracker => tracker.AddGitHubTicketing(options =>
        {
            Configure(options);
            options.BaseUrl = new Uri(enterprise.BaseUrl.AbsoluteUri.TrimEnd('/'));
        }));
        var occurrence = Samples.Occurrence();

        var reference = await Ticketing(services).RaiseTicketAsync(Samples.Record(occurrence), occurrence, CancellationToken.None);
        await Ticketing(services).UpdateTicketAsync(reference, Samples.Record(occurrence, 2), occurrence, CancellationToken.None);

        enterprise.Requests.Select(r => r.Path).Should().Equal("/api/v3/repos/acme/shop/issues", "/api/v3/repos/acme/shop/issues/1/comments");
    }

    [Test]
    public async Task Recorded_backticks_tildes_mentions_and_links_stay_inside_the_code_block()
    {
        using var services = Samples.Services(tracker => tracker.AddGitHubTicketing(Configure));
        var hostile = "closing ``` and ````\n```\n~~~\n</code></pre>\n# Heading @octocat [click](https://evil.example) <img src=x>\n`````";
        var occurrence = Samples.Occurrence(hostile) with { Url = "https://shop.example.com/`x` @octocat" };

        await Ticketing(services).RaiseTicketAsync(Samples.Record(occurrence), occurrence, CancellationToken.None);

        var body = _github.Issues.Single().Body;
        var document = Markdown.Parse(body);
        var block = document.Descendants<FencedCodeBlock>().Should().ContainSingle().Subject;
        block.Lines.ToString().Should().StartWith(occurrence.Exception.Type + ": " + hostile, "the recorded text is in the block, whole");
        document.Descendants<HeadingBlock>().Should().BeEmpty();
        document.Descendants<HtmlBlock>().Should().BeEmpty();
        document.Descendants<LinkInline>().Select(l => l.Url).Should().Equal($"{Samples.Dashboard}/{occurrence.Hash}");
        document.Descendants<CodeInline>().Select(c => c.Content).Should().Contain("POST https://shop.example.com/`x` @octocat");
        document.Descendants<LiteralInline>().Should().NotContain(l => l.Content.ToString().Contains("octocat", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_long_message_makes_a_cut_single_line_title()
    {
        using var services = Samples.Services(tracker => tracker.AddGitHubTicketing(Configure));
        var occurrence = Samples.Occurrence(new string('m', 500) + "\nsecond line");

        await Ticketing(services).RaiseTicketAsync(Samples.Record(occurrence), occurrence, CancellationToken.None);

        var title = _github.Issues.Single().Title;
        title.Should().HaveLength(200).And.EndWith("...").And.NotContain("second line");
    }

    [Test]
    public async Task A_failure_status_throws_with_the_status_and_the_services_message_but_never_the_token()
    {
        using var services = Samples.Services(tracker => tracker.AddGitHubTicketing(Configure));
        var occurrence = Samples.Occurrence();
        _github.FailNext(1, HttpStatusCode.UnprocessableEntity, "Validation Failed");
        _github.FailNext(1, HttpStatusCode.Unauthorized, $"Bad credentials: Bearer {Token}");

        var refused = await FluentActions.Awaiting(() => Ticketing(services).RaiseTicketAsync(Samples.Record(occurrence), occurrence, CancellationToken.None))
            .Should().ThrowAsync<HttpRequestException>();
        var echoed = await FluentActions.Awaiting(() => Ticketing(services).UpdateTicketAsync("9", Samples.Record(occurrence), occurrence, CancellationToken.None))
            .Should().ThrowAsync<HttpRequestException>();

        refused.Which.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        refused.Which.Message.Should().Be($"The GitHub issues API answered 422 (UnprocessableEntity) to the request to create an issue (POST to {_github.BaseUrl.Authority}): Validation Failed");
        echoed.Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        echoed.Which.Message.Should().Contain("401").And.Contain("comment on issue 9").And.NotContain(Token).And.NotContain("Bad credentials");
        echoed.Which.ToString().Should().NotContain(Token);
    }

    [Test]
    public async Task A_wrong_token_is_refused_by_the_server_and_not_quoted()
    {
        using var services = Samples.Services(tracker => tracker.AddGitHubTicketing(options =>
        {
            Configure(options);
            options.Token = "ghp_wrongWrongWrongWrong";
        }));
        var occurrence = Samples.Occurrence();

        var failure = await FluentActions.Awaiting(() => Ticketing(services).RaiseTicketAsync(Samples.Record(occurrence), occurrence, CancellationToken.None))
            .Should().ThrowAsync<HttpRequestException>();

        failure.Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        failure.Which.Message.Should().EndWith(": Bad credentials").And.NotContain("ghp_wrong");
    }

    [Test]
    public async Task A_server_that_does_not_answer_times_out_within_the_configured_timeout()
    {
        using var services = Samples.Services(tracker => tracker.AddGitHubTicketing(options =>
        {
            Configure(options);
            options.Timeout = TimeSpan.FromSeconds(1);
        }));
        var occurrence = Samples.Occurrence();
        _github.HangNext(1);
        var clock = Stopwatch.StartNew();

        var failure = await FluentActions.Awaiting(() => Ticketing(services).RaiseTicketAsync(Samples.Record(occurrence), occurrence, CancellationToken.None))
            .Should().ThrowAsync<TimeoutException>();

        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(900)).And.BeLessThan(TimeSpan.FromSeconds(5));
        failure.Which.Message.Should().Contain("did not answer").And.Contain("create an issue").And.NotContain(Token);
        _github.Issues.Should().BeEmpty();
    }

    [Test]
    public async Task Failing_the_next_requests_then_recovering_is_what_a_retry_sees()
    {
        using var services = Samples.Services(tracker => tracker.AddGitHubTicketing(Configure));
        var ticketing = Ticketing(services);
        var occurrence = Samples.Occurrence();
        _github.FailNext(2);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            (await FluentActions.Awaiting(() => ticketing.RaiseTicketAsync(Samples.Record(occurrence), occurrence, CancellationToken.None))
                .Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        }

        (await ticketing.RaiseTicketAsync(Samples.Record(occurrence), occurrence, CancellationToken.None)).Should().Be("1");
        _github.Requests.Should().HaveCount(3);
        _github.Issues.Should().ContainSingle();
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("-1")]
    [TestCase("0")]
    [TestCase("1/../../../user")]
    public async Task A_reference_that_is_not_an_issue_number_is_refused_without_a_request(string reference)
    {
        using var services = Samples.Services(tracker => tracker.AddGitHubTicketing(Configure));
        var occurrence = Samples.Occurrence();

        await FluentActions.Awaiting(() => Ticketing(services).UpdateTicketAsync(reference, Samples.Record(occurrence), occurrence, CancellationToken.None))
            .Should().ThrowAsync<FormatException>();

        _github.Requests.Should().BeEmpty();
    }

    [Test]
    public async Task The_token_never_reaches_any_log()
    {
        var logs = new CapturedLogs();
        using var services = Samples.Services(
            tracker => tracker.AddGitHubTicketing(options =>
            {
                Configure(options);
                options.Timeout = TimeSpan.FromSeconds(1);
            }),
            logs);
        var ticketing = Ticketing(services);
        var occurrence = Samples.Occurrence();

        var reference = await ticketing.RaiseTicketAsync(Samples.Record(occurrence), occurrence, CancellationToken.None);
        await ticketing.UpdateTicketAsync(reference, Samples.Record(occurrence, 2), occurrence, CancellationToken.None);
        _github.FailNext(1, HttpStatusCode.Unauthorized, Token);
        await FluentActions.Awaiting(() => ticketing.UpdateTicketAsync(reference, Samples.Record(occurrence, 3), occurrence, CancellationToken.None))
            .Should().ThrowAsync<HttpRequestException>();
        _github.HangNext(1);
        await FluentActions.Awaiting(() => ticketing.UpdateTicketAsync(reference, Samples.Record(occurrence, 4), occurrence, CancellationToken.None))
            .Should().ThrowAsync<TimeoutException>();

        logs.Entries.Where(e => e.Category == "ErrorTracking.Http").Should().HaveCount(4, "each request is logged once, redacted");
        logs.Entries.Should().NotContain(e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal), "the factory's default logging is replaced");
        logs.Entries.Should().NotContain(e => e.AllText.Contains(Token, StringComparison.Ordinal));
    }

    private void Configure(GitHubTicketingOptions options)
    {
        options.BaseUrl = _github.BaseUrl;
        options.Owner = "acme";
        options.Repository = "shop";
        options.Token = Token;
        options.Labels = ["bug", "error-tracker"];
    }

    private static GitHubIssuesTicketing Ticketing(ServiceProvider services) => services.GetServices<ITicketing>().OfType<GitHubIssuesTicketing>().Single();
}
