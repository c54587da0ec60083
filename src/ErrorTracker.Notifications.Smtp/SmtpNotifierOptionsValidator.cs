using ErrorTracking.Configuration;
using Microsoft.Extensions.Options;

namespace ErrorTracking.Notifications.Smtp;

/// <summary>Checks <see cref="SmtpNotifierOptions"/> once, at start, and names every wrong key in one message.</summary>
/// <param name="notificationsOn">
/// Whether the tracker sends notifications (<c>ErrorTracker:SendNotification</c>). Asked only while validating:
/// reading the tracker's options while this validator is built would go round in a circle, since the tracker's own
/// validator is built with the registered notifiers.
/// </param>
internal sealed class SmtpNotifierOptionsValidator(Func<bool> notificationsOn) : IValidateOptions<SmtpNotifierOptions>
{
    internal const string Prefix = SmtpNotifierOptions.SectionName + ":";
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, SmtpNotifierOptions options)
    {
        var failures = new List<string>();
        // Without a host the notifier stays idle, so an application can register it unconditionally and turn mail
        // on through configuration alone; a host is needed only once notifications are on.
        if (string.IsNullOrWhiteSpace(options.Host) && notificationsOn())
        {
            failures.Add($"{Prefix}{nameof(options.Host)} is required when {ErrorTrackerOptions.SectionName}:{nameof(ErrorTrackerOptions.SendNotification)} is true: name the SMTP server to send through.");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"{Prefix}{nameof(options.Port)} must be between 1 and 65535 (was {options.Port}).");
        }

        if (!Enum.IsDefined(options.Security))
        {
            failures.Add($"{Prefix}{nameof(options.Security)} must be one of {string.Join(", ", Enum.GetNames<SmtpSecurity>())} (was {(int)options.Security}).");
        }

        // The password's value is never part of a message, only whether it is there.
        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrEmpty(options.Username))
        {
            failures.Add($"{Prefix}{nameof(options.Password)} is set but {Prefix}{nameof(options.Username)} is not: without a user name the client does not authenticate.");
        }

        // "30" binds as 30 days: a bound catches the missing hh:mm:ss.
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            failures.Add($"{Prefix}{nameof(options.Timeout)} must be longer than zero and at most {MaxTimeout}, written as hh:mm:ss such as 00:00:30 (was {options.Timeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
