using Microsoft.Extensions.Options;

namespace ErrorTracking.Http.Configuration;

/// <summary>Checks <see cref="WebhookTicketingOptions"/> once, at start, and names every wrong key in one message.</summary>
internal sealed class WebhookTicketingOptionsValidator : IValidateOptions<WebhookTicketingOptions>
{
    private const string Prefix = WebhookTicketingOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, WebhookTicketingOptions options)
    {
        var failures = new List<string>();
        OptionChecks.HttpAddress(failures, Prefix + nameof(options.CreateUrl), options.CreateUrl);
        var updateKey = Prefix + nameof(options.UpdateUrl);
        if (string.IsNullOrWhiteSpace(options.UpdateUrl))
        {
            failures.Add($"{updateKey} is required: the address a recurrence is POSTed to, with {WebhookTicketing.ReferencePlaceholder} where the ticket's reference goes.");
        }
        else if (!options.UpdateUrl.Contains(WebhookTicketing.ReferencePlaceholder, StringComparison.Ordinal))
        {
            failures.Add($"{updateKey} must contain {WebhookTicketing.ReferencePlaceholder} where the ticket's reference goes.");
        }
        else if (Uri.TryCreate(options.UpdateUrl.Replace(WebhookTicketing.ReferencePlaceholder, "1", StringComparison.Ordinal), UriKind.RelativeOrAbsolute, out var sample))
        {
            OptionChecks.HttpAddress(failures, updateKey, sample);
        }
        else
        {
            failures.Add($"{updateKey} must be an absolute http or https address (it does not parse).");
        }

        if (string.IsNullOrWhiteSpace(options.ReferenceProperty) || options.ReferenceProperty.Split('.').Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{Prefix}{nameof(options.ReferenceProperty)} must name a property, or a dotted path to one such as ticket.id (was '{options.ReferenceProperty}').");
        }

        OptionChecks.Headers(failures, Prefix + nameof(options.Headers), options.Headers);
        OptionChecks.Timeout(failures, Prefix + nameof(options.Timeout), options.Timeout);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
