namespace ErrorTracking.Notifications.Smtp;

/// <summary>
/// Where and how <see cref="SmtpNotifier"/> sends mail, bound from the <c>ErrorTracker:Smtp</c> configuration section
/// (environment variables <c>ErrorTracker__Smtp__Host</c>, <c>ErrorTracker__Smtp__Port</c>...). The sender, the
/// recipients and the subject prefix are the tracker's own options (<c>ErrorTracker:EmailSender</c>...).
/// </summary>
public sealed class SmtpNotifierOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "ErrorTracker:Smtp";

    /// <summary>The SMTP server's host name or address (Flask-Mail's <c>MAIL_SERVER</c>); required when notifications are sent.</summary>
    public string? Host { get; set; }

    /// <summary>The SMTP server's port (Flask-Mail's <c>MAIL_PORT</c>). Default: 25.</summary>
    public int Port { get; set; } = 25;

    /// <summary>
    /// How the connection is secured (Flask-Mail's <c>MAIL_USE_TLS</c> is <see cref="SmtpSecurity.StartTls"/>, its
    /// <c>MAIL_USE_SSL</c> <see cref="SmtpSecurity.SslOnConnect"/>). Default: <see cref="SmtpSecurity.Auto"/>.
    /// </summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    /// <summary>The user name (Flask-Mail's <c>MAIL_USERNAME</c>); the client authenticates only when it is set. Default: none.</summary>
    public string? Username { get; set; }

    /// <summary>The password (Flask-Mail's <c>MAIL_PASSWORD</c>); never logged nor put in an exception. Default: none.</summary>
    public string? Password { get; set; }

    /// <summary>How long one message may take, from connecting to the server until it accepted the message. Default: 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
