using System.Diagnostics;
using ErrorTracking.Notification;
using ErrorTracking.Notifications.Smtp;
using ErrorTracking.Notifications.Tests.Support;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ErrorTracking.Notifications.Tests;

public sealed class SmtpNotifierTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static SmtpNotifier Notifier(int port, Action<SmtpNotifierOptions>? configure = null)
    {
        var options = new SmtpNotifierOptions { Host = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(5) };
        configure?.Invoke(options);
        return new SmtpNotifier(Options.Create(options));
    }

    [Test]
    public async Task A_notification_arrives_as_one_message_with_its_subject_sender_recipients_and_a_text_and_an_html_part()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var notification = await RecordedFailure.NotificationAsync();

        // The default security, Auto, sends in plain text to a relay that offers no TLS.
        await Notifier(server.Port).NotifyAsync(notification, CancellationToken.None);

        var received = (await server.WaitForMessagesAsync(1, Wait)).Single();
        var message = received.Message;
        message.Subject.Should().Be(notification.Subject).And.Contain("InvalidOperationException");
        message.From.Mailboxes.Should().ContainSingle().Which.Should().Match<MailboxAddress>(m => m.Address == "errors@example.com" && m.Name == "ErrorTracker");
        message.To.Mailboxes.Select(m => m.Address).Should().Equal("ops@example.com", "dev@example.com");
        received.EnvelopeFrom.Should().Be("errors@example.com");
        received.EnvelopeTo.Should().Equal("ops@example.com", "dev@example.com");
        message.Headers["Auto-Submitted"].Should().Be("auto-generated");
        message.Headers["X-ErrorTracker-Group"].Should().Be(notification.Record.Hash);

        var alternative = message.Body.Should().BeOfType<MultipartAlternative>().Subject;
        alternative.Select(part => part.ContentType.MimeType).Should().Equal("text/plain", "text/html");
        message.TextBody.Should().Contain("Occurrences: 1").And.Contain("PlaceOrder").And.Contain("orderId");
        message.HtmlBody.Should().Contain("<pre>").And.Contain("PlaceOrder");
        message.TextBody.Should().Contain("**************", "the secret reaches the mail masked");
        received.Raw.Should().NotContain(RecordedFailure.Secret);
    }

    [Test]
    public async Task Each_notification_is_its_own_message_over_its_own_connection()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var notification = await RecordedFailure.NotificationAsync();
        var notifier = Notifier(server.Port);

        for (var i = 0; i < 3; i++)
        {
            await notifier.NotifyAsync(notification with { Subject = $"mail {i}" }, CancellationToken.None);
        }

        (await server.WaitForMessagesAsync(3, Wait)).Select(m => m.Message.Subject).Should().Equal("mail 0", "mail 1", "mail 2");
    }

    [Test]
    public async Task Invisible_and_reordering_characters_arrive_as_escapes_in_the_subject_and_both_bodies()
    {
        await using var server = await SmtpTestServer.StartAsync();
        // Made elsewhere than the pipeline's content, which escapes already: the mail is shown either way.
        var notification = await RecordedFailure.NotificationAsync() with
        {
            Subject = "Refused invoice_\u202Egnp.exe",
            Body = "Refused invoice_\u202Egnp.exe\u001B[2J",
            HtmlBody = "<p>Refused invoice_\u202Egnp.exe</p>",
        };

        await Notifier(server.Port).NotifyAsync(notification, CancellationToken.None);

        var message = (await server.WaitForMessagesAsync(1, Wait)).Single().Message;
        message.Subject.Should().Be("Refused invoice_⟨U+202E⟩gnp.exe");
        message.TextBody.Should().Contain("Refused invoice_⟨U+202E⟩gnp.exe⟨U+001B⟩[2J").And.NotContainAny("\u202E", "\u001B");
        message.HtmlBody.Should().Contain("<p>Refused invoice_⟨U+202E⟩gnp.exe</p>").And.NotContain("\u202E");
    }

    [Test]
    public async Task Without_an_html_body_the_message_is_plain_text()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var notification = await RecordedFailure.NotificationAsync() with { HtmlBody = "" };

        await Notifier(server.Port).NotifyAsync(notification, CancellationToken.None);

        var message = (await server.WaitForMessagesAsync(1, Wait)).Single().Message;
        message.Body.Should().BeOfType<TextPart>().Which.ContentType.MimeType.Should().Be("text/plain");
        message.TextBody!.ReplaceLineEndings().TrimEnd().Should().Be(notification.Body.ReplaceLineEndings().TrimEnd());
    }

    [Test]
    public async Task With_a_user_name_and_password_the_client_authenticates()
    {
        var password = "smtp-" + Guid.NewGuid().ToString("N");
        await using var server = await SmtpTestServer.StartAsync("tracker", password);
        var notification = await RecordedFailure.NotificationAsync();

        await Notifier(server.Port, o => (o.Username, o.Password) = ("tracker", password)).NotifyAsync(notification, CancellationToken.None);

        (await server.WaitForMessagesAsync(1, Wait)).Single().AuthenticatedUser.Should().Be("tracker");
    }

    [Test]
    public async Task A_wrong_password_fails_with_an_exception_that_does_not_contain_it()
    {
        await using var server = await SmtpTestServer.StartAsync("tracker", "the-right-one");
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        var notification = await RecordedFailure.NotificationAsync();

        var sending = () => Notifier(server.Port, o => (o.Username, o.Password) = ("tracker", wrong)).NotifyAsync(notification, CancellationToken.None);

        var failure = (await sending.Should().ThrowAsync<DeliveryRefusedException>()).Which;
        failure.InnerException.Should().BeOfType<AuthenticationException>("credentials refused once are refused again, so the tracker does not retry");
        failure.ToString().Should().NotContain(wrong);
        server.Messages.Should().BeEmpty();
    }

    [Test]
    public async Task Without_credentials_a_server_that_requires_them_refuses_the_message()
    {
        await using var server = await SmtpTestServer.StartAsync("tracker", "secret");
        var notification = await RecordedFailure.NotificationAsync();

        var sending = () => Notifier(server.Port).NotifyAsync(notification, CancellationToken.None);

        await sending.Should().ThrowAsync<MailKit.ServiceNotAuthenticatedException>();
        server.Messages.Should().BeEmpty();
    }

    [Test]
    public async Task A_message_the_server_refuses_for_now_fails_with_its_transient_code_and_the_next_one_is_accepted()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var notification = await RecordedFailure.NotificationAsync();
        var notifier = Notifier(server.Port);
        server.RejectNextMessages(1);

        var sending = () => notifier.NotifyAsync(notification, CancellationToken.None);

        (await sending.Should().ThrowAsync<MailKit.Net.Smtp.SmtpCommandException>()).Which.StatusCode.Should().Be((MailKit.Net.Smtp.SmtpStatusCode)451);
        server.Messages.Should().BeEmpty();
        await notifier.NotifyAsync(notification, CancellationToken.None);
        server.Messages.Should().ContainSingle();
        (server.Rejected, server.Sessions).Should().Be((1, 2));
    }

    [Test]
    public async Task A_server_that_is_down_fails_at_once()
    {
        var notification = await RecordedFailure.NotificationAsync();
        var clock = Stopwatch.StartNew();

        var sending = () => Notifier(Loopback.ClosedPort()).NotifyAsync(notification, CancellationToken.None);

        await sending.Should().ThrowAsync<System.Net.Sockets.SocketException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "a refused connection does not wait for the timeout");
    }

    [Test]
    public async Task A_server_that_never_answers_fails_with_a_timeout_after_the_configured_time()
    {
        using var silent = new Loopback.SilentServer();
        var notification = await RecordedFailure.NotificationAsync();
        var clock = Stopwatch.StartNew();

        var sending = () => Notifier(silent.Port, o => o.Timeout = TimeSpan.FromSeconds(1)).NotifyAsync(notification, CancellationToken.None);

        var failure = (await sending.Should().ThrowAsync<TimeoutException>()).Which;
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9)).And.BeLessThan(TimeSpan.FromSeconds(5));
        failure.Message.Should().Contain($"127.0.0.1:{silent.Port}").And.Contain("00:00:01");
    }

    [Test]
    public async Task Cancelling_stops_the_sending_at_once_and_is_not_reported_as_a_timeout()
    {
        using var silent = new Loopback.SilentServer();
        var notification = await RecordedFailure.NotificationAsync();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        var sending = () => Notifier(silent.Port, o => o.Timeout = TimeSpan.FromSeconds(30)).NotifyAsync(notification, cancellation.Token);

        await sending.Should().ThrowAsync<OperationCanceledException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var notification = await RecordedFailure.NotificationAsync();

        var sending = () => Notifier(server.Port).NotifyAsync(notification, new CancellationToken(canceled: true));

        await sending.Should().ThrowAsync<OperationCanceledException>();
        server.Messages.Should().BeEmpty();
    }

    [Test]
    public async Task StartTls_is_required_when_chosen_so_a_server_without_it_gets_nothing_in_plain_text()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var notification = await RecordedFailure.NotificationAsync();

        var sending = () => Notifier(server.Port, o => o.Security = SmtpSecurity.StartTls).NotifyAsync(notification, CancellationToken.None);

        await sending.Should().ThrowAsync<NotSupportedException>();
        server.Messages.Should().BeEmpty();
    }

    [Test]
    public async Task Without_recipients_nothing_is_sent_and_no_connection_is_made()
    {
        var notification = await RecordedFailure.NotificationAsync() with { Recipients = [] };

        // Nothing listens on the port: connecting would throw.
        await Notifier(Loopback.ClosedPort()).NotifyAsync(notification, CancellationToken.None);
    }

    [Test]
    public async Task Without_a_host_sending_fails_naming_the_key()
    {
        var notification = await RecordedFailure.NotificationAsync();

        var sending = () => Notifier(25, o => o.Host = null).NotifyAsync(notification, CancellationToken.None);

        (await sending.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("ErrorTracker:Smtp:Host");
    }

    [Test]
    public async Task Without_a_sender_sending_fails_naming_the_key()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var notification = await RecordedFailure.NotificationAsync() with { Sender = null };

        var sending = () => Notifier(server.Port).NotifyAsync(notification, CancellationToken.None);

        (await sending.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("ErrorTracker:EmailSender");
        server.Messages.Should().BeEmpty();
    }
}
