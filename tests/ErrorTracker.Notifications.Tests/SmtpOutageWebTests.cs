using ErrorTracking.Notification;
using ErrorTracking.Notifications.Tests.Support;
using ErrorTracking.Testing.Web;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.Notifications.Tests;

/// <summary>
/// "SMTP server down" in a real web application: Kestrel with <c>UseErrorTracker</c> whose SMTP notifier points at
/// a loopback port nothing listens on. Every request of the application gets its own answer at once while the mail
/// is still being retried, every occurrence is stored, and each mail is tried exactly
/// <see cref="DeliveryOutageApp.Attempts"/> times and given up with one warning.
/// </summary>
public sealed class SmtpOutageWebTests
{
    [TestCase(DeliveryPolicy.FirstThenAfterQuietPeriod, 2)]
    [TestCase(DeliveryPolicy.EveryOccurrence, 20)]
    public async Task The_applications_requests_are_answered_and_stored_while_mail_is_retried_then_given_up_once(DeliveryPolicy policy, int mails)
    {
        var port = Loopback.ClosedPort();
        await using var app = await DeliveryOutageApp.StartAsync(
            tracker => tracker.AddSmtpNotifier(o =>
            {
                o.Host = "127.0.0.1";
                o.Port = port;
                o.Timeout = TimeSpan.FromSeconds(5);
            }),
            o =>
            {
                o.SendNotification = true;
                o.NotificationPolicy = policy;
                o.MaxNotificationsPerMinute = 0;
                o.RecipientEmails = ["ops@example.com"];
                o.EmailSender = "errors@example.com";
            });

        await app.SendRequestsAndCheckEveryFailureStoredAsync();

        // The clock has not moved: the first mail failed once and waits for its retry; the application did not wait.
        app.GivenUp().Should().BeEmpty("no mail has used its attempts yet");

        await app.AdvanceClockUntil(() => app.GivenUp().Count >= mails, $"all {mails} mails given up");
        // Long past every back-off: nothing is logged again.
        for (var i = 0; i < 40; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        var givenUp = app.GivenUp();
        givenUp.Should().HaveCount(mails, "each mail is given up, and logged, once");
        givenUp.Should().OnlyContain(log => log.Message.Contains($"after {DeliveryOutageApp.Attempts} attempt(s)", StringComparison.Ordinal));
        var hashes = (await app.Store.ListAsync(new Storage.ErrorQuery { PageSize = 10 }, CancellationToken.None)).Items.Select(g => g.Hash).ToList();
        hashes.Should().OnlyContain(hash => givenUp.Count(log => log.Message.Contains(hash, StringComparison.Ordinal)) == mails / 2);
    }
}
