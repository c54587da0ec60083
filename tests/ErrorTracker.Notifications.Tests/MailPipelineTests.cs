using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ErrorTracking.Configuration;
using ErrorTracking.Context;
using ErrorTracking.Notification;
using ErrorTracking.Notifications.Smtp;
using ErrorTracking.Notifications.Tests.Support;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using ErrorTracking.Testing;

namespace ErrorTracking.Notifications.Tests;

/// <summary>Where the pipeline keeps its groups, and so its delivery claims.</summary>
public enum PipelineStore
{
    /// <summary>The default <see cref="InMemoryErrorStore"/>.</summary>
    InMemory,

    /// <summary>A <see cref="SqlErrorStore"/> in an SQLite file.</summary>
    Sqlite,
}

/// <summary>
/// Issue 6's "done when" for mail, end to end: a tracker registered as an application registers it
/// (<c>AddErrorTracker(...).AddSmtpNotifier(...)</c>), real exceptions recorded, stored, claimed for delivery in the
/// store, and sent through MailKit to a real SMTP server on loopback; the assertions are on the mail it received.
/// A fake clock drives the quiet period, the cap's minute and the retries' back-off.
/// </summary>
[TestFixture(PipelineStore.InMemory)]
[TestFixture(PipelineStore.Sqlite)]
public sealed class MailPipelineTests(PipelineStore storeKind)
{
    private const string Sender = "ErrorTracker <errors@example.com>";
    private const string Message = "Order 42 could not be charged";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly DateTimeOffset Epoch = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "et-mail-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task A_mail_has_the_prefixed_subject_a_masked_text_part_an_encoded_html_part_and_the_dashboard_link()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var app = Start(server, o => o.DashboardUrl = new Uri("https://ops.example/dev/error/"));
        var secret = NewSecret();

        var hash = Occur(app.Tracker, secret, "Order <b>42</b> could not be charged");
        await app.FlushAsync();

        var received = server.Messages.Should().ContainSingle().Subject;
        var message = received.Message;
        message.Subject.Should().Be("[Shop] System.InvalidOperationException: Order <b>42</b> could not be charged");
        message.From.Mailboxes.Select(m => m.Address).Should().Equal("errors@example.com");
        message.To.Mailboxes.Select(m => m.Address).Should().Equal("ops@example.com", "dev@example.com");
        message.Headers["X-ErrorTracker-Group"].Should().Be(hash);
        message.Body.Should().BeOfType<MultipartAlternative>().Which.Select(part => part.ContentType.MimeType).Should().Equal("text/plain", "text/html");

        var link = $"https://ops.example/dev/error/{hash}";
        message.TextBody.Should().Contain("Occurrences: 1").And.Contain("Order <b>42</b> could not be charged")
            .And.Contain(nameof(ChargeOrder)).And.Contain("password").And.Contain(ErrorTrackerOptions.DefaultMask)
            .And.Contain($"Dashboard: {link}");
        message.HtmlBody.Should().Contain("Order &lt;b&gt;42&lt;/b&gt; could not be charged").And.NotContain("<b>42</b>")
            .And.Contain(nameof(ChargeOrder)).And.Contain(ErrorTrackerOptions.DefaultMask)
            .And.Contain($"<a href=\"{link}\">{link}</a>");
        NoSecretIn(received, secret);
    }

    [Test]
    public async Task With_a_request_the_subject_and_the_body_name_its_method_and_url()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var app = Start(server);
        var secret = NewSecret();

        using (var scope = app.Tracker.BeginScope())
        {
            scope.AddContextBuilder(new RequestContext("POST", "shop.example", "/orders/42/charge", "https://shop.example/orders/42/charge"));
            Occur(app.Tracker, secret);
            scope.Complete();
        }

        await app.FlushAsync();

        var received = server.Messages.Should().ContainSingle().Subject;
        received.Message.Subject.Should().Be($"[Shop] [POST] https://shop.example/orders/42/charge System.InvalidOperationException: {Message}");
        received.Message.TextBody.Should().StartWith("URL: POST https://shop.example/orders/42/charge");
        received.Message.HtmlBody.Should().Contain("<th align=\"left\">URL</th><td>POST https://shop.example/orders/42/charge</td>");
        NoSecretIn(received, secret);
    }

    [Test]
    public async Task A_secret_in_the_request_url_is_masked_in_the_subject_and_the_body()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var app = Start(server);
        var secret = NewSecret();

        using (var scope = app.Tracker.BeginScope())
        {
            scope.AddContextBuilder(new RequestContext("GET", "shop.example", "/orders", $"https://shop.example/orders?token={secret}"));
            Occur(app.Tracker, secret);
            scope.Complete();
        }

        await app.FlushAsync();

        var received = server.Messages.Should().ContainSingle().Subject;
        received.Message.Subject.Should().StartWith("[Shop] [GET] https://shop.example/orders?token=").And.Contain(ErrorTrackerOptions.DefaultMask);
        NoSecretIn(received, secret);
    }

    [Test]
    public async Task Every_occurrence_mails_one_two_three_as_upstream_does()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var app = Start(server, o => o.NotificationPolicy = DeliveryPolicy.EveryOccurrence);
        var secret = NewSecret();

        for (var i = 1; i <= 3; i++)
        {
            Occur(app.Tracker, secret);
            await app.FlushAsync();
            server.Messages.Should().HaveCount(i);
        }

        server.Messages.Select(Occurrences).Should().Equal(1, 2, 3);
        server.Messages.Select(m => m.Message.Headers["X-ErrorTracker-Group"]).Distinct().Should().ContainSingle("the three occurrences are one group");
    }

    [TestCase(true, TestName = "{m}(NotificationOnce)")]
    [TestCase(false, TestName = "{m}(FirstOccurrence policy)")]
    public async Task First_occurrence_mails_once_for_three_occurrences(bool once)
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var app = Start(server, o =>
        {
            o.NotificationOnce = once;
            o.NotificationPolicy = once ? DeliveryPolicy.EveryOccurrence : DeliveryPolicy.FirstOccurrence;
        });
        var secret = NewSecret();

        for (var i = 0; i < 3; i++)
        {
            Occur(app.Tracker, secret);
            await app.FlushAsync();
        }

        app.Clock.Advance(TimeSpan.FromDays(2));
        Occur(app.Tracker, secret);
        await app.FlushAsync();

        server.Messages.Should().ContainSingle().Which.Should().Match<ReceivedMessage>(m => Occurrences(m) == 1);
    }

    [Test]
    public async Task The_default_policy_mails_a_new_group_a_recurrence_after_the_quiet_hour_and_a_regression()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var app = Start(server);
        var secret = NewSecret();
        async Task<string> OccurAsync()
        {
            var hash = Occur(app.Tracker, secret);
            await app.FlushAsync();
            return hash;
        }

        var hash = await OccurAsync();
        await OccurAsync();
        await OccurAsync();
        server.Messages.Should().ContainSingle("a new group is mailed once, not its repeats within the hour");

        app.Clock.Advance(TimeSpan.FromMinutes(59));
        await OccurAsync();
        server.Messages.Should().ContainSingle("59 minutes are not the quiet hour");

        app.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await OccurAsync();
        server.Messages.Should().HaveCount(2, "a recurrence after the quiet hour is mailed");

        await app.Store.UpdateAsync(hash, new ErrorRecordUpdate { Status = ErrorStatus.Resolved }, CancellationToken.None);
        await OccurAsync();
        server.Messages.Should().HaveCount(3, "a resolved group that happens again is a regression, mailed even within the hour");

        server.Messages.Select(Occurrences).Should().Equal(1, 5, 6);
        (await app.Store.GetAsync(hash, CancellationToken.None))!.Record.Should().Match<ErrorRecord>(r =>
            r.NotificationSent && r.LastNotifiedOn == app.Clock.GetUtcNow());
    }

    [Test]
    public async Task Without_recipients_no_mail_is_sent()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var app = Start(server, o => o.RecipientEmails = []);

        Occur(app.Tracker, NewSecret());
        await app.FlushAsync();
        await Task.Delay(200);

        (server.Messages.Count, server.Sessions).Should().Be((0, 0));
    }

    [Test]
    public async Task With_notifications_off_no_mail_is_sent()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var app = Start(server, o => o.SendNotification = false);

        Occur(app.Tracker, NewSecret());
        await app.FlushAsync();
        await Task.Delay(200);

        (server.Messages.Count, server.Sessions).Should().Be((0, 0));
    }

    [Test]
    public async Task Past_the_cap_the_held_back_groups_arrive_as_one_summary_mail_when_the_minute_is_over()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var app = Start(server, o =>
        {
            o.MaxNotificationsPerMinute = 2;
            // One group per message: five new groups, each wanting a mail.
            o.Fingerprint = e => e.Message;
        });
        var secret = NewSecret();
        string[] orders = ["apple", "banana", "cherry", "damson", "elder"];

        foreach (var order in orders)
        {
            Occur(app.Tracker, secret, $"Order {order} is closed");
        }

        await app.FlushAsync();
        server.Messages.Select(m => m.Message.Subject).Should().Equal(
            "[Shop] System.InvalidOperationException: Order apple is closed",
            "[Shop] System.InvalidOperationException: Order banana is closed");

        // The dispatcher now waits on the clock for the end of the minute.
        (await app.Clock.WaitForPendingTimerAsync(Wait)).Should().Be(TimeSpan.FromMinutes(1));
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var summary = (await server.WaitForMessagesAsync(3, Wait))[2];

        summary.Message.Subject.Should().Be("[Shop] 3 more error notification(s) held back");
        var body = (summary.Message.TextBody ?? "").ReplaceLineEndings("\n");
        body.Should().Contain("3 notification(s) were held back by the cap of 2 a minute");
        foreach (var order in orders[2..])
        {
            body.Should().Contain($"\n- [Shop] System.InvalidOperationException: Order {order} is closed (1 in all)");
        }

        body.Should().NotContain("apple").And.NotContain("banana");
        summary.Message.HtmlBody.Should().Contain("Order elder is closed");
        NoSecretIn(summary, secret);
        await app.FlushAsync();
        server.Messages.Should().HaveCount(3);
    }

    [Test]
    public async Task A_server_that_rejects_the_credentials_is_tried_once_with_one_warning_without_the_password()
    {
        var password = "smtp-" + Guid.NewGuid().ToString("N");
        await using var server = await SmtpTestServer.StartAsync("tracker", "the-right-one");
        await using var app = Start(
            server,
            o =>
            {
                o.DeliveryAttempts = 3;
                o.DeliveryRetryDelay = TimeSpan.FromSeconds(1);
            },
            smtp => (smtp.Username, smtp.Password) = ("tracker", password));

        var hash = Occur(app.Tracker, NewSecret());
        await app.FlushDrivingTheClockAsync();

        server.Messages.Should().BeEmpty();
        server.Sessions.Should().Be(1, "credentials refused once are refused again: no retry");
        app.Clock.DueTimes.Should().BeEmpty("nothing waited for a back-off");
        app.Logs.Entries.Where(e => e.Message.Contains("gave up", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().Match<CapturedLog>(e =>
                e.Level == LogLevel.Warning && e.Message.Contains(nameof(SmtpNotifier)) && e.Message.Contains(hash)
                && e.Message.Contains("after 1 attempt(s), without retrying") && e.Message.Contains("rejected the credentials"));
        app.Logs.Entries.Should().NotContain(e => e.AllText.Contains(password, StringComparison.Ordinal));
        (await app.Store.GetAsync(hash, CancellationToken.None))!.Record.Count.Should().Be(1, "a failing notifier does not affect recording");
    }

    [Test]
    public async Task A_message_refused_for_good_is_not_retried_and_its_next_occurrence_mails_again()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var app = Start(server, o =>
        {
            o.DeliveryAttempts = 3;
            o.DeliveryRetryDelay = TimeSpan.FromSeconds(1);
        });
        server.RejectNextMessages(1, permanently: true);

        var hash = Occur(app.Tracker, NewSecret());
        await app.FlushDrivingTheClockAsync();
        (server.Rejected, server.Messages.Count, server.Sessions).Should().Be((1, 0, 1), "a 5yz reply is not retried");
        app.Clock.DueTimes.Should().BeEmpty();
        app.Logs.Entries.Should().ContainSingle(e => e.Message.Contains("gave up", StringComparison.Ordinal))
            .Which.Message.Should().Contain("550");

        Occur(app.Tracker, NewSecret());
        await app.FlushDrivingTheClockAsync();
        server.Messages.Should().ContainSingle("the mail given up gave its claim back, so the group's next occurrence is mailed");
        (await app.Store.GetAsync(hash, CancellationToken.None))!.Record.NotificationSent.Should().BeTrue();
    }

    [Test]
    public async Task A_message_refused_for_now_is_retried_after_the_back_off_and_arrives_once()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var app = Start(server, o =>
        {
            o.DeliveryAttempts = 3;
            o.DeliveryRetryDelay = TimeSpan.FromSeconds(1);
        });
        server.RejectNextMessages(2);

        Occur(app.Tracker, NewSecret());
        var flushing = app.Tracker.FlushAsync(Wait);

        (await app.Clock.WaitForPendingTimerAsync(Wait)).Should().Be(TimeSpan.FromSeconds(1));
        await Task.Delay(100);
        (server.Rejected, server.Messages.Count).Should().Be((1, 0), "the retry waits for the clock");
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        (await app.Clock.WaitForPendingTimerAsync(Wait)).Should().Be(TimeSpan.FromSeconds(2));
        (server.Rejected, server.Messages.Count).Should().Be((2, 0));
        app.Clock.Advance(TimeSpan.FromSeconds(2));

        (await flushing).Should().BeTrue();
        server.Messages.Should().ContainSingle();
        server.Sessions.Should().Be(3);
        app.Logs.Entries.Should().NotContain(e => e.Message.Contains("gave up", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_server_that_is_down_at_first_gets_the_mail_once_it_is_up()
    {
        var port = Loopback.ClosedPort();
        await using var app = Start(port, o =>
        {
            o.DeliveryAttempts = 3;
            o.DeliveryRetryDelay = TimeSpan.FromSeconds(1);
        });

        Occur(app.Tracker, NewSecret());
        var flushing = app.Tracker.FlushAsync(Wait);
        (await app.Clock.WaitForPendingTimerAsync(Wait)).Should().Be(TimeSpan.FromSeconds(1), "the first attempt was refused");

        await using var server = await SmtpTestServer.StartAsync(port: port);
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        (await flushing).Should().BeTrue();
        server.Messages.Should().ContainSingle().Which.Message.Subject.Should().Be($"[Shop] System.InvalidOperationException: {Message}");
        app.Logs.Entries.Should().NotContain(e => e.Message.Contains("gave up", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_mail_given_up_on_is_sent_by_the_groups_next_occurrence()
    {
        var port = Loopback.ClosedPort();
        await using var app = Start(port, o =>
        {
            o.DeliveryAttempts = 2;
            o.DeliveryRetryDelay = TimeSpan.FromSeconds(1);
        });
        var secret = NewSecret();

        var hash = Occur(app.Tracker, secret);
        await app.FlushDrivingTheClockAsync();
        app.Logs.Entries.Should().ContainSingle(e => e.Message.Contains("gave up", StringComparison.Ordinal));
        (await app.Store.GetAsync(hash, CancellationToken.None))!.Record.NotificationSent.Should().BeFalse("no mail went out for the group");

        await using var server = await SmtpTestServer.StartAsync(port: port);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Occur(app.Tracker, secret);
        await app.FlushAsync();

        server.Messages.Should().ContainSingle().Which.Should().Match<ReceivedMessage>(m => Occurrences(m) == 2);
    }

    [Test]
    public async Task A_summary_given_up_on_leaves_its_groups_to_be_mailed_by_their_next_occurrence()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var app = Start(server, o =>
        {
            o.MaxNotificationsPerMinute = 1;
            o.Fingerprint = e => e.Message;
            o.DeliveryAttempts = 2;
            o.DeliveryRetryDelay = TimeSpan.FromSeconds(1);
        });
        var secret = NewSecret();
        Occur(app.Tracker, secret, "Order apple is closed");
        var held = Occur(app.Tracker, secret, "Order banana is closed");
        await app.FlushAsync();
        server.Messages.Should().ContainSingle();

        // The summary for banana is refused at both of its attempts.
        server.RejectNextMessages(2);
        (await app.Clock.WaitForPendingTimerAsync(Wait)).Should().Be(TimeSpan.FromMinutes(1));
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        (await app.Clock.WaitForPendingTimerAsync(Wait)).Should().Be(TimeSpan.FromSeconds(1), "the summary's first attempt was refused");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await app.FlushAsync();
        (server.Rejected, server.Messages.Count).Should().Be((2, 1));
        (await app.Store.GetAsync(held, CancellationToken.None))!.Record.NotificationSent.Should().BeFalse("no mail about banana went out");

        app.Clock.Advance(TimeSpan.FromSeconds(61));
        Occur(app.Tracker, secret, "Order banana is closed");
        await app.FlushAsync();

        server.Messages.Should().HaveCount(2);
        server.Messages[1].Message.Subject.Should().Be("[Shop] System.InvalidOperationException: Order banana is closed");
        Occurrences(server.Messages[1]).Should().Be(2);
    }

    private static string NewSecret() => "S3cr3t-" + Guid.NewGuid().ToString("N");

    private static long Occurrences(ReceivedMessage message) =>
        long.Parse(Regex.Match(message.Message.TextBody ?? "", @"^Occurrences: (\d+)", RegexOptions.Multiline).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static void NoSecretIn(ReceivedMessage received, string secret)
    {
        received.Raw.Should().NotContain(secret);
        received.Message.Subject.Should().NotContain(secret);
        received.Message.TextBody.Should().NotContain(secret);
        received.Message.HtmlBody.Should().NotContain(secret);
    }

    /// <summary>Throws from <see cref="ChargeOrder"/> and records what was thrown, with the secret as a variable; one call site, one group.</summary>
    private static string Occur(IErrorTracker tracker, string secret, string message = Message)
    {
        try
        {
            ChargeOrder(message, secret);
        }
        catch (InvalidOperationException exception)
        {
            return tracker.RecordException(exception, new { orderId = 42, password = secret })
                ?? throw new AssertionException("The exception was not recorded.");
        }

        throw new AssertionException("ChargeOrder did not fail.");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ChargeOrder(string message, string password)
    {
        if (password.Length > 0)
        {
            throw new InvalidOperationException(message);
        }
    }

    private App Start(SmtpTestServer server, Action<ErrorTrackerOptions>? configure = null, Action<SmtpNotifierOptions>? smtp = null) =>
        Start(server.Port, configure, smtp);

    private App Start(int port, Action<ErrorTrackerOptions>? configure = null, Action<SmtpNotifierOptions>? smtp = null)
    {
        var logs = new CapturedLogs();
        var clock = new WatchedClock(Epoch);
        IErrorStore store = storeKind == PipelineStore.Sqlite
            ? SqlErrorStore.ForSqlite($"Data Source={Path.Combine(_folder, "errors.db")};Pooling=False")
            : new InMemoryErrorStore();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs));
        services.AddErrorTracker(o =>
            {
                o.Store = store;
                o.TimeProvider = clock;
                o.CaptureUnhandledExceptions = false;
                o.SendNotification = true;
                o.RecipientEmails = ["ops@example.com", "Dev Team <dev@example.com>"];
                o.EmailSender = Sender;
                o.SubjectPrefix = "Shop";
                configure?.Invoke(o);
            })
            .AddSmtpNotifier(o =>
            {
                o.Host = "127.0.0.1";
                o.Port = port;
                o.Timeout = Wait;
                smtp?.Invoke(o);
            });
        return new App(services.BuildServiceProvider(), clock, logs);
    }

    /// <summary>The application: its services, the tracker's clock and what it logged.</summary>
    private sealed class App(ServiceProvider services, WatchedClock clock, CapturedLogs logs) : IAsyncDisposable
    {
        public IErrorTracker Tracker { get; } = services.GetRequiredService<IErrorTracker>();

        public IErrorStore Store => services.GetRequiredService<IErrorStore>();

        public WatchedClock Clock => clock;

        public CapturedLogs Logs => logs;

        /// <summary>Waits until what was recorded is stored and delivered (or given up).</summary>
        public async Task FlushAsync() => (await Tracker.FlushAsync(Wait)).Should().BeTrue("delivery should be idle within the timeout");

        /// <summary>Flushes, moving the clock past each retry's back-off as soon as a delivery waits for it.</summary>
        public async Task FlushDrivingTheClockAsync()
        {
            var flushing = Tracker.FlushAsync(Wait);
            while (await Clock.WaitForPendingTimerAsync(Wait, flushing) is { } due)
            {
                Clock.Advance(due);
            }

            (await flushing).Should().BeTrue("delivery should be idle within the timeout");
        }

        public ValueTask DisposeAsync() => services.DisposeAsync();
    }

    /// <summary>Describes a request, as the web integration's context builder does.</summary>
    private sealed class RequestContext(string method, string host, string path, string url) : IContextBuilder
    {
        public void Build(CaptureContext context)
        {
            context.Method = method;
            context.Host = host;
            context.Path = path;
            context.Url = url;
        }
    }
}
