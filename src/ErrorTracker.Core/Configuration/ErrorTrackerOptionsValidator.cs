using System.Text.RegularExpressions;
using ErrorTracking.Masking;
using ErrorTracking.Notification;
using Microsoft.Extensions.Options;

namespace ErrorTracking.Configuration;

/// <summary>Checks <see cref="ErrorTrackerOptions"/> once, at start, and names every wrong key in one message.</summary>
internal sealed class ErrorTrackerOptionsValidator : IValidateOptions<ErrorTrackerOptions>
{
    private const string Prefix = ErrorTrackerOptions.SectionName + ":";
    private readonly int _registeredNotifiers;

    public ErrorTrackerOptionsValidator(IEnumerable<INotifier> registeredNotifiers) =>
        _registeredNotifiers = registeredNotifiers.Count();

    private const int MaxRequestBodyLimit = 16 * 1024 * 1024;

    // Stores and the dashboard write at most 1,024 JSON levels, and each rendered level takes three.
    private const int MaxDepthLimit = 300;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ErrorTrackerOptions options)
    {
        var failures = new List<string>();
        if (options.RecipientEmails.Any(r => !string.IsNullOrWhiteSpace(r)) && string.IsNullOrWhiteSpace(options.EmailSender))
        {
            failures.Add($"{Prefix}{nameof(options.EmailSender)} is required when {Prefix}{nameof(options.RecipientEmails)} is set.");
        }

        if (options.SendNotification && options.Notifiers.Count + _registeredNotifiers == 0)
        {
            failures.Add($"{Prefix}{nameof(options.SendNotification)} is true but no notifier is configured: add one with AddNotifier<T>() or Notifiers.");
        }

        SecretDetectors(failures, options);
        AtLeast(failures, nameof(options.PageSize), options.PageSize, 1);
        AtLeast(failures, nameof(options.QueueCapacity), options.QueueCapacity, 1);
        AtLeast(failures, nameof(options.BatchSize), options.BatchSize, 1);
        AtLeast(failures, nameof(options.MaxBufferedGroups), options.MaxBufferedGroups, 1);
        AtLeast(failures, nameof(options.StoreAttempts), options.StoreAttempts, 1);
        if (options.StoreTimeout <= TimeSpan.Zero && options.StoreTimeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{Prefix}{nameof(options.StoreTimeout)} must be positive or infinite (was {options.StoreTimeout}).");
        }
        AtLeast(failures, nameof(options.MaxStringLength), options.MaxStringLength, 1);
        AtLeast(failures, nameof(options.MaxCollectionItems), options.MaxCollectionItems, 1);
        AtLeast(failures, nameof(options.MaxDepth), options.MaxDepth, 1);
        if (options.MaxDepth > MaxDepthLimit)
        {
            failures.Add($"{Prefix}{nameof(options.MaxDepth)} must be at most {MaxDepthLimit} (was {options.MaxDepth}): deeper values could not be stored.");
        }

        AtLeast(failures, nameof(options.MaxValueNodes), options.MaxValueNodes, 1);
        AtLeast(failures, nameof(options.SourceContextLines), options.SourceContextLines, 0);
        AtLeast(failures, nameof(options.MaxRequestBodyLength), options.MaxRequestBodyLength, 0);
        if (options.MaxRequestBodyLength > MaxRequestBodyLimit)
        {
            failures.Add($"{Prefix}{nameof(options.MaxRequestBodyLength)} must be at most {MaxRequestBodyLimit} (was {options.MaxRequestBodyLength}): a failing request's body is kept in memory.");
        }

        AtLeast(failures, nameof(options.MaxNotificationsPerMinute), options.MaxNotificationsPerMinute, 0);
        AtLeast(failures, nameof(options.DeliveryAttempts), options.DeliveryAttempts, 1);
        QuietPeriod(failures, nameof(options.NotificationQuietPeriod), options.NotificationQuietPeriod);
        QuietPeriod(failures, nameof(options.TicketQuietPeriod), options.TicketQuietPeriod);
        if (options.DeliveryRetryDelay < TimeSpan.Zero)
        {
            failures.Add($"{Prefix}{nameof(options.DeliveryRetryDelay)} must not be negative (was {options.DeliveryRetryDelay}).");
        }

        if (options.DashboardUrl is { } dashboard && (!dashboard.IsAbsoluteUri || (dashboard.Scheme != Uri.UriSchemeHttp && dashboard.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{Prefix}{nameof(options.DashboardUrl)} must be an absolute http or https address (was '{dashboard}').");
        }

        if (options.ShutdownTimeout < TimeSpan.Zero)
        {
            failures.Add($"{Prefix}{nameof(options.ShutdownTimeout)} must not be negative (was {options.ShutdownTimeout}).");
        }

        if (options.MaskWith is null)
        {
            failures.Add($"{Prefix}{nameof(options.MaskWith)} must not be null.");
        }

        if (string.IsNullOrEmpty(options.UrlPrefix) || options.UrlPrefix[0] != '/')
        {
            failures.Add($"{Prefix}{nameof(options.UrlPrefix)} must start with '/' (was '{options.UrlPrefix}').");
        }
        else if (options.UrlPrefix.TrimEnd('/').Length == 0)
        {
            // The dashboard's requests are never recorded: at the root, nothing would be.
            failures.Add($"{Prefix}{nameof(options.UrlPrefix)} must name a path below the root, such as /dev/error (was '{options.UrlPrefix}').");
        }

        for (var i = 0; i < options.MaskedValuePatterns.Count; i++)
        {
            try
            {
                _ = new Regex(options.MaskedValuePatterns[i], RegexOptions.CultureInvariant);
            }
            catch (ArgumentException exception)
            {
                failures.Add($"{Prefix}{nameof(options.MaskedValuePatterns)}:{i} is not a valid regular expression: {exception.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void QuietPeriod(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(365))
        {
            failures.Add($"{Prefix}{key} must be longer than zero and at most 365 days (was {value}).");
        }
    }

    private static void AtLeast(List<string> failures, string key, int value, int minimum)
    {
        if (value < minimum)
        {
            failures.Add($"{Prefix}{key} must be at least {minimum} (was {value}).");
        }
    }
    private static void SecretDetectors(List<string> failures, ErrorTrackerOptions options)
    {
        foreach (var name in options.DisabledSecretDetectors.Where(name => !SecretDetector.BuiltInNames.Contains(name, StringComparer.OrdinalIgnoreCase)))
        {
            failures.Add($"{Prefix}{nameof(options.DisabledSecretDetectors)} names '{name}', which is no built-in detector; they are: {string.Join(", ", SecretDetector.BuiltInNames)}.");
        }

        var builtIn = SecretDetector.BuiltInNames.ToHashSet(StringComparer.Ordinal);
        foreach (var detector in options.SecretDetectors.Where(detector => detector is null || builtIn.Contains(detector.Name)))
        {
            failures.Add(detector is null
                ? $"{Prefix}{nameof(options.SecretDetectors)} holds a null detector."
                : $"{Prefix}{nameof(options.SecretDetectors)} adds '{detector.Name}', the name of a built-in detector: give it another name, or disable the built-in one and name yours differently.");
        }
    }
}
