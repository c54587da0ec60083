using Microsoft.Extensions.Options;

namespace ErrorTracking.Http.Configuration;

/// <summary>Checks <see cref="WebhookNotifierOptions"/> once, at start, and names every wrong key in one message.</summary>
internal sealed class WebhookNotifierOptionsValidator : IValidateOptions<WebhookNotifierOptions>
{
    private const string Prefix = WebhookNotifierOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, WebhookNotifierOptions options)
    {
        var failures = new List<string>();
        OptionChecks.HttpAddress(failures, Prefix + nameof(options.Url), options.Url);
        if (!Enum.IsDefined(options.Format))
        {
            failures.Add($"{Prefix}{nameof(options.Format)} must be {string.Join(" or ", Enum.GetNames<WebhookFormat>())} (was {options.Format}).");
        }

        OptionChecks.Headers(failures, Prefix + nameof(options.Headers), options.Headers);
        OptionChecks.Timeout(failures, Prefix + nameof(options.Timeout), options.Timeout);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
