using ErrorTracking.Records;

namespace ErrorTracking.Notification;

/// <summary>A notification about a stored occurrence; everything in it is built from the masked record.</summary>
/// <param name="Record">The group, as it stood after this occurrence was counted.</param>
/// <param name="Occurrence">The occurrence (for a summary, the latest one held back).</param>
/// <param name="Subject">Upstream's subject: <c>[prefix] [METHOD] url ExceptionType: message</c>, parts left out when absent.</param>
/// <param name="Body">Plain text: the URL, the counts, first and last seen, the dashboard link and the traceback with its variables.</param>
/// <param name="HtmlBody">The same as an HTML document, every recorded value encoded.</param>
/// <param name="Sender">The configured sender address, if any.</param>
/// <param name="Recipients">The configured recipients.</param>
public sealed record ErrorNotification(
    ErrorRecord Record,
    ErrorEvent Occurrence,
    string Subject,
    string Body,
    string HtmlBody,
    string? Sender,
    IReadOnlyList<string> Recipients)
{
    /// <summary>The group's dashboard page, when <c>DashboardUrl</c> is configured.</summary>
    public Uri? DashboardLink { get; init; }

    /// <summary>
    /// For a summary of what the per-minute cap held back, how many notifications it stands for; 0 for a
    /// notification about one occurrence.
    /// </summary>
    public int HeldBack { get; init; }
}
