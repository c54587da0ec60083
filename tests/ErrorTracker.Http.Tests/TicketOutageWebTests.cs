using ErrorTracking.Http.Tests.Support;
using ErrorTracking.Storage;
using ErrorTracking.Testing.Web;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.Http.Tests;

/// <summary>Where the ticketing of <see cref="TicketOutageWebTests"/> points.</summary>
public enum TicketApiFault
{
    /// <summary>GitHub ticketing at a loopback port nothing listens on.</summary>
    GitHubClosedPort,

    /// <summary>GitHub ticketing at a fake GitHub that answers every request with 500.</summary>
    GitHubAnswering500,

    /// <summary>Webhook ticketing at a loopback port nothing listens on.</summary>
    WebhookClosedPort,

    /// <summary>Webhook ticketing at a server that answers every request with 500.</summary>
    WebhookAnswering500,
}

/// <summary>
/// "Ticket API down" in a real web application: Kestrel with <c>UseErrorTracker</c> whose ticketing is refused
/// or answered 500. Every request of the application gets its own answer at once while the ticket is still being
/// retried, every occurrence is stored, and each ticket is tried exactly <see cref="DeliveryOutageApp.Attempts"/>
/// times and given up with one warning.
/// </summary>
public sealed class TicketOutageWebTests
{
    [TestCase(TicketApiFault.GitHubClosedPort)]
    [TestCase(TicketApiFault.GitHubAnswering500)]
    [TestCase(TicketApiFault.WebhookClosedPort)]
    [TestCase(TicketApiFault.WebhookAnswering500)]
    public async Task The_applications_requests_are_answered_and_stored_while_tickets_are_retried_then_given_up_once(TicketApiFault fault)
    {
        var answering500 = fault is TicketApiFault.GitHubAnswering500 or TicketApiFault.WebhookAnswering500;
        await using var github = await FakeIssueTracker.StartAsync();
        await using var webhook = await LoopbackServer.StartAsync(_ => { });
        github.FailNext(1_000);
        webhook.FailNext(1_000);
        var closed = new Uri($"http://127.0.0.1:{DeliveryOutageApp.ClosedPort()}/");
        await using var app = await DeliveryOutageApp.StartAsync(tracker => _ = fault switch
        {
            TicketApiFault.GitHubClosedPort or TicketApiFault.GitHubAnswering500 => tracker.AddGitHubTicketing(o =>
            {
                o.BaseUrl = answering500 ? github.BaseUrl : closed;
                o.Owner = "acme";
                o.Repository = "shop";
                o.Token = "ghp_" + Guid.NewGuid().ToString("N");
                o.Timeout = TimeSpan.FromSeconds(5);
            }),
            _ => tracker.AddWebhookTicketing(o =>
            {
                o.CreateUrl = answering500 ? webhook.Url("/tickets") : new Uri(closed, "tickets");
                o.UpdateUrl = (answering500 ? webhook.Address : closed) + "tickets/{reference}";
                o.Timeout = TimeSpan.FromSeconds(5);
            }),
        });
        IReadOnlyList<RecordedRequest> TicketRequests() =>
            fault == TicketApiFault.GitHubAnswering500 ? github.Requests : fault == TicketApiFault.WebhookAnswering500 ? webhook.Requests : [];

        await app.SendRequestsAndCheckEveryFailureStoredAsync();

        // The clock has not moved: the first ticket failed once and waits for its retry; the application did not wait.
        if (answering500)
        {
            await DeliveryOutageApp.Eventually(() => TicketRequests().Count > 0, "the first ticket tried");
            TicketRequests().Should().ContainSingle("the retry waits for the tracker's clock");
        }

        app.GivenUp().Should().BeEmpty("no ticket has used its attempts yet");

        await app.AdvanceClockUntil(() => app.GivenUp().Count >= 2, "both groups' tickets given up");
        // Long past every back-off: nothing is tried again and nothing is logged again.
        for (var i = 0; i < 40; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        var hashes = (await app.Store.ListAsync(new ErrorQuery { PageSize = 10 }, CancellationToken.None)).Items.Select(g => g.Hash).ToList();
        var givenUp = app.GivenUp();
        givenUp.Should().HaveCount(2, "each group's ticket is given up, and logged, once");
        hashes.Should().OnlyContain(hash => givenUp.Count(log => log.Message.Contains(hash, StringComparison.Ordinal)) == 1);
        givenUp.Should().OnlyContain(log => log.Message.Contains($"after {DeliveryOutageApp.Attempts} attempt(s)", StringComparison.Ordinal));
        if (answering500)
        {
            TicketRequests().Should().HaveCount(2 * DeliveryOutageApp.Attempts, "each ticket is tried the configured number of times, no more");
        }

        foreach (var hash in hashes)
        {
            (await app.Store.GetAsync(hash, CancellationToken.None))!.Record.TicketRaised.Should().BeFalse();
        }
    }
}
