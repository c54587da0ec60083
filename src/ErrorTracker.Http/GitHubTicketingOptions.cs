namespace ErrorTracking.Http;

/// <summary>Where <see cref="GitHubIssuesTicketing"/> opens issues; bound from <c>ErrorTracker:GitHub</c>.</summary>
public sealed class GitHubTicketingOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "ErrorTracker:GitHub";

    /// <summary>
    /// The REST API's root: <c>https://api.github.com</c> (default), <c>https://HOST/api/v3</c> for GitHub Enterprise
    /// Server, <c>https://HOST/api/v1</c> for Gitea or Forgejo.
    /// </summary>
    public Uri BaseUrl { get; set; } = new("https://api.github.com");

    /// <summary>The repository's owner, a user or an organization. Required.</summary>
    public string? Owner { get; set; }

    /// <summary>The repository's name. Required.</summary>
    public string? Repository { get; set; }

    /// <summary>
    /// A token allowed to write issues, sent as <c>Authorization: Bearer</c>; never logged nor quoted in errors.
    /// Required: keep it in user secrets or the environment (<c>ErrorTracker__GitHub__Token</c>), not in a file.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Label names given to every new issue. Default: none.</summary>
    public IList<string> Labels { get; set; } = [];

    /// <summary>How long a request may take, answer included. Default: 10 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
