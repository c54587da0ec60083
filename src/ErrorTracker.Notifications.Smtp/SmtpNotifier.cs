using ErrorTracking.Notification;
using ErrorTracking.Rendering;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ErrorTracking.Notifications.Smtp;

/// <summary>
/// Sends each notification as one email through an SMTP server with MailKit: from the notification's sender to its
/// recipients, with its subject, and a plain-text and an HTML part. Register it with <c>AddSmtpNotifier(...)</c> on
/// the builder from <c>AddErrorTracker</c>.
/// </summary>
/// <remarks>
/// Every message opens its own connection and closes it: notifications are few (the tracker caps them per minute),
/// and a held connection would have to survive the server dropping it while idle. A failure throws; the tracker
/// retries with back-off and logs the failure once, except a permanent refusal, which it does not retry.
/// </remarks>
public sealed partial class SmtpNotifier : INotifier
{
    private readonly IOptions<SmtpNotifierOptions> _options;
    private readonly ILogger _logger;

    /// <summary>Creates the notifier.</summary>
    /// <param name="options">The SMTP server and how to reach it; read when the first notification is sent.</param>
    /// <param name="logger">Where sending is traced, at debug level; never with the password.</param>
    public SmtpNotifier(IOptions<SmtpNotifierOptions> options, ILogger<SmtpNotifier>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger<SmtpNotifier>.Instance;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">No SMTP host is configured, or the notification has no sender.</exception>
    /// <exception cref="TimeoutException">The server did not accept the message within <see cref="SmtpNotifierOptions.Timeout"/>.</exception>
    /// <exception cref="DeliveryRefusedException">
    /// The server refused the message for good: it rejected the credentials, or answered a command with a permanent
    /// (5yz) reply such as an unknown mailbox.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>MailKit's other exceptions (a refused connection, a transient 4yz reply) pass through and are retried.</remarks>
    public async Task NotifyAsync(ErrorNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var options = _options.Value;
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            throw new InvalidOperationException($"{SmtpNotifierOptionsValidator.Prefix}{nameof(options.Host)} is not set: there is no SMTP server to send the notification through.");
        }

        // As upstream: no recipients, no mail.
        if (notification.Recipients.Count == 0)
        {
            return;
        }

        using var message = CreateMessage(notification);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds) };
        try
        {
            await client.ConnectAsync(options.Host, options.Port, ToMailKit(options.Security), deadline.Token).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(options.Username))
            {
                await client.AuthenticateAsync(options.Username, options.Password ?? "", deadline.Token).ConfigureAwait(false);
            }

            await client.SendAsync(message, deadline.Token).ConfigureAwait(false);
        }
        // MailKit's own per-operation timeout and the deadline over the whole exchange race each other: either way
        // the failure names the server and the time it had.
        catch (Exception exception) when (exception is TimeoutException
            || (exception is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            throw new TimeoutException($"The SMTP server {options.Host}:{options.Port} did not accept the notification within {options.Timeout}.", exception);
        }
        // A 5yz reply is a permanent refusal (RFC 5321, 4.2.1): an unknown mailbox, rejected credentials. Sending the
        // same message again would be refused again; a 4yz reply (try again later) stays a failure that is retried.
        // MailKit reports any answer to AUTH but success this way, a 454 "temporary authentication failure" too: only a
        // permanent one is a refusal.
        catch (AuthenticationException refused) when (refused.InnerException is not SmtpCommandException { StatusCode: var status } || (int)status >= 500)
        {
            var code = refused.InnerException is SmtpCommandException command ? $" with {(int)command.StatusCode} ({command.StatusCode})" : "";
            throw new DeliveryRefusedException($"The SMTP server {options.Host}:{options.Port} rejected the credentials{code}.", refused);
        }
        catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500)
        {
            throw new DeliveryRefusedException(
                $"The SMTP server {options.Host}:{options.Port} refused the notification with {(int)refused.StatusCode} ({refused.StatusCode}).", refused);
        }

        Sent(_logger, notification.Record.Hash, notification.Recipients.Count, options.Host, options.Port);
        try
        {
            await client.DisconnectAsync(quit: true, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The server accepted the message: a failed goodbye must not make the tracker send it again.
            QuitFailed(_logger, options.Host, options.Port, exception.GetType().Name);
        }
    }

    /// <summary>The message for <paramref name="notification"/>: a text and an HTML part, or text alone without HTML.</summary>
    internal static MimeMessage CreateMessage(ErrorNotification notification)
    {
        if (string.IsNullOrWhiteSpace(notification.Sender))
        {
            throw new InvalidOperationException("The notification has no sender: set ErrorTracker:EmailSender to send notifications by email.");
        }

        var message = new MimeMessage();
        message.From.AddRange(InternetAddressList.Parse(notification.Sender));
        foreach (var recipient in notification.Recipients)
        {
            message.To.AddRange(InternetAddressList.Parse(recipient));
        }

        // The pipeline's content is escaped already; a notification made elsewhere is shown to a reader all the same.
        message.Subject = VisibleText.Escape(notification.Subject);
        // RFC 3834: out-of-office and other automatic replies leave automatic mail alone.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        // Lets mail rules sort or thread the notifications of one failure.
        message.Headers.Add("X-ErrorTracker-Group", notification.Record.Hash);
        message.Body = new BodyBuilder
        {
            TextBody = VisibleText.Escape(notification.Body),
            HtmlBody = string.IsNullOrWhiteSpace(notification.HtmlBody) ? null : VisibleText.Escape(notification.HtmlBody),
        }.ToMessageBody();
        return message;
    }

    private static SecureSocketOptions ToMailKit(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    [LoggerMessage(1, LogLevel.Debug, "Sent the notification for group {Hash} to {RecipientCount} recipient(s) through {Host}:{Port}.")]
    private static partial void Sent(ILogger logger, string hash, int recipientCount, string host, int port);

    [LoggerMessage(2, LogLevel.Debug, "The SMTP server {Host}:{Port} accepted the notification but closing the connection failed ({Failure}).")]
    private static partial void QuitFailed(ILogger logger, string host, int port, string failure);
}
