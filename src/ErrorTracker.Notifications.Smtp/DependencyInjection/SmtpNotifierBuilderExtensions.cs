using ErrorTracking.Configuration;
using ErrorTracking.Notifications.Smtp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds email notifications over SMTP on the builder from <c>AddErrorTracker</c>.</summary>
/// <remarks>
/// The notifier needs a host only when notifications are on (<c>ErrorTracker:SendNotification</c>): registered
/// without one, it fails nothing and sends nothing, so an application can always register it and turn mail on
/// through configuration alone. With notifications on and no host, the application does not start, and says which
/// key is missing.
/// </remarks>
public static class SmtpNotifierBuilderExtensions
{
    /// <summary>
    /// Sends notifications by email with the SMTP options bound from <paramref name="section"/>, usually
    /// <c>configuration.GetSection("ErrorTracker:Smtp")</c>: <c>Host</c>, <c>Port</c>, <c>Security</c>,
    /// <c>Username</c>, <c>Password</c>, <c>Timeout</c>. The options are validated at start.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The configuration section with the SMTP options.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddSmtpNotifier(this IErrorTrackerBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<SmtpNotifierOptions>().Bind(section);
        return Register(builder);
    }

    /// <summary>Sends notifications by email with the SMTP options set by <paramref name="configure"/>. The options are validated at start.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddSmtpNotifier(this IErrorTrackerBuilder builder, Action<SmtpNotifierOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SmtpNotifierOptions>().Configure(configure);
        return Register(builder);
    }

    private static IErrorTrackerBuilder Register(IErrorTrackerBuilder builder)
    {
        builder.Services.AddOptions<SmtpNotifierOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmtpNotifierOptions>, SmtpNotifierOptionsValidator>(
            provider => new SmtpNotifierOptionsValidator(() => provider.GetRequiredService<IOptions<ErrorTrackerOptions>>().Value.SendNotification)));
        return builder.AddNotifier<SmtpNotifier>();
    }
}
