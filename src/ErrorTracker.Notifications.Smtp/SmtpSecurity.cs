namespace ErrorTracking.Notifications.Smtp;

/// <summary>How the connection to the SMTP server is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>
    /// TLS from the first byte on port 465, else STARTTLS when the server offers it and plain text when it does not
    /// (MailKit's <c>SecureSocketOptions.Auto</c>).
    /// </summary>
    Auto,

    /// <summary>Plain text, never encrypted: only for a relay on the same machine or network.</summary>
    None,

    /// <summary>Plain text first, then STARTTLS, which must succeed (usually port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,
}
