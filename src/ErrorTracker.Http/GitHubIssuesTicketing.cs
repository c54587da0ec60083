using System.Globalization;
using System.Text.Json;
using ErrorTracking.Configuration;
using ErrorTracking.Http.Content;
using ErrorTracking.Http.Delivery;
using ErrorTracking.Notification;
using ErrorTracking.Records;
using ErrorTracking.Ticketing;
using Microsoft.Extensions.Options;

namespace ErrorTracking.Http;

/// <summary>
/// Opens an issue for a new group in a GitHub repository (or a server with GitHub's issues API: GitHub
/// Enterprise, Gitea, Forgejo), and comments on it when the group happens again. The reference kept on the group
/// is the issue's number. Throws on a failure; the tracker retries and logs it.
/// </summary>
public sealed class GitHubIssuesTicketing : ITicketing
{
    /// <summary>The name of the <see cref="HttpClient"/> this ticketing uses, to add handlers (a proxy, certificates) to it.</summary>
    public const string HttpClientName = "ErrorTracker.GitHub";

    /// <summary>The REST API version asked for.</summary>
    public const string ApiVersion = "2022-11-28";

    private readonly GitHubTicketingOptions _options;
    private readonly IOptions<ErrorTrackerOptions> _tracker;
    private readonly Uri _issues;
    private readonly JsonEndpoint _endpoint;

    /// <summary>Creates the ticketing; the options are validated here at the latest.</summary>
    /// <param name="clients">The factory of the named client.</param>
    /// <param name="options">The options.</param>
    /// <param name="tracker">The tracker's options, for the dashboard's address.</param>
    public GitHubIssuesTicketing(IHttpClientFactory clients, IOptions<GitHubTicketingOptions> options, IOptions<ErrorTrackerOptions> tracker)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tracker);
        _options = options.Value;
        _tracker = tracker;

        // Relative to a root ending in '/', so an Enterprise or Gitea root's own path (/api/v3) is kept.
        var root = new Uri(_options.BaseUrl.AbsoluteUri.TrimEnd('/') + "/");
        _issues = new Uri(root, $"repos/{Uri.EscapeDataString(_options.Owner ?? "")}/{Uri.EscapeDataString(_options.Repository ?? "")}/issues");
        _endpoint = new JsonEndpoint(
            clients,
            HttpClientName,
            "The GitHub issues API",
            [new("Authorization", "Bearer " + _options.Token), new("X-GitHub-Api-Version", ApiVersion)],
            accept: "application/vnd.github+json",
            secrets: [_options.Token ?? ""]);
    }

    /// <inheritdoc />
    public string Name => "github";

    /// <inheritdoc />
    public async Task<string> RaiseTicketAsync(ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(occurrence);
        var issue = new GitHubIssuePayload(
            TicketText.Title(occurrence),
            TicketText.Raised(record, occurrence, Link(record), TextFormat.Markdown),
            _options.Labels.Count == 0 ? null : [.. _options.Labels]);
        const string operation = "create an issue";
        var answer = await _endpoint.PostForJsonAsync(_issues, issue, PayloadJson.Default.GitHubIssuePayload, operation, cancellationToken).ConfigureAwait(false);
        return answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("number", out var number) && number.TryGetInt64(out var value) && value > 0
            ? value.ToString(CultureInfo.InvariantCulture)
            : throw _endpoint.UnexpectedAnswer(_issues, operation, "issue number");
    }

    /// <inheritdoc />
    public Task UpdateTicketAsync(string reference, ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(occurrence);

        // Parsed, not pasted: a reference stored by other ticketing must not become a path of this API.
        if (!long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            throw new FormatException($"'{reference}' is not a GitHub issue number.");
        }

        var comments = new Uri(_issues.AbsoluteUri + "/" + number.ToString(CultureInfo.InvariantCulture) + "/comments");
        var comment = new GitHubCommentPayload(TicketText.Recurred(record, occurrence, Link(record), TextFormat.Markdown));
        return _endpoint.PostAsync(comments, comment, PayloadJson.Default.GitHubCommentPayload, $"comment on issue {number}", cancellationToken);
    }

    private Uri? Link(ErrorRecord record) => NotificationContent.DashboardLink(_tracker.Value.DashboardUrl, record.Hash);
}
