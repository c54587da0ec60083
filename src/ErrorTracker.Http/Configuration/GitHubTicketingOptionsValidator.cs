using Microsoft.Extensions.Options;

namespace ErrorTracking.Http.Configuration;

/// <summary>Checks <see cref="GitHubTicketingOptions"/> once, at start, and names every wrong key in one message.</summary>
internal sealed class GitHubTicketingOptionsValidator : IValidateOptions<GitHubTicketingOptions>
{
    private const string Prefix = GitHubTicketingOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, GitHubTicketingOptions options)
    {
        var failures = new List<string>();
        OptionChecks.HttpAddress(failures, Prefix + nameof(options.BaseUrl), options.BaseUrl);
        OptionChecks.Required(failures, Prefix + nameof(options.Owner), options.Owner);
        OptionChecks.Required(failures, Prefix + nameof(options.Repository), options.Repository);
        if (string.IsNullOrWhiteSpace(options.Token))
        {
            failures.Add($"{Prefix}{nameof(options.Token)} is required: a token allowed to write the repository's issues.");
        }
        else if (options.Token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            // Not quoted: it is the secret.
            failures.Add($"{Prefix}{nameof(options.Token)} must be the token alone, without spaces or a scheme such as 'Bearer'.");
        }

        if (options.Labels is null)
        {
            failures.Add($"{Prefix}{nameof(options.Labels)} must not be null.");
        }
        else if (options.Labels.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{Prefix}{nameof(options.Labels)} must not hold an empty label.");
        }

        OptionChecks.Timeout(failures, Prefix + nameof(options.Timeout), options.Timeout);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
