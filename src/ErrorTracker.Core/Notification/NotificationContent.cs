using System.Globalization;
using System.Net;
using System.Text;
using ErrorTracking.Records;
using ErrorTracking.Rendering;

namespace ErrorTracking.Notification;

/// <summary>The subject and body of a notification, built from the masked record only, with <see cref="VisibleText"/> escapes.</summary>
public static class NotificationContent
{
    /// <summary>Subjects longer than this are cut.</summary>
    public const int MaxSubjectLength = 200;

    /// <summary>Upstream's subject, <c>[prefix] [METHOD] url ExceptionType: message</c>, leaving out absent parts.</summary>
    /// <param name="prefix">The configured subject prefix.</param>
    /// <param name="occurrence">The occurrence.</param>
    /// <returns>A one-line subject of at most <see cref="MaxSubjectLength"/> characters.</returns>
    public static string Subject(string? prefix, ErrorEvent occurrence)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        var parts = new List<string>(4);
        if (!string.IsNullOrWhiteSpace(prefix))
        {
            parts.Add($"[{prefix.Trim()}]");
        }

        if (!string.IsNullOrEmpty(occurrence.Method))
        {
            parts.Add($"[{occurrence.Method}]");
        }

        var url = occurrence.Url ?? occurrence.Path;
        if (!string.IsNullOrEmpty(url))
        {
            parts.Add(url);
        }

        var firstLine = occurrence.Message.Split('\n', 2)[0].Trim();
        parts.Add(firstLine.Length == 0 ? occurrence.ExceptionType : $"{occurrence.ExceptionType}: {firstLine}");
        var subject = VisibleText.Escape(string.Join(' ', parts).ReplaceLineEndings(" "));
        return subject.Length <= MaxSubjectLength ? subject : string.Concat(subject.AsSpan(0, MaxSubjectLength - 3), "...");
    }

    /// <summary>The plain-text body: where it happened, how often, the dashboard link, and the traceback with its variables.</summary>
    /// <param name="record">The group.</param>
    /// <param name="occurrence">The occurrence.</param>
    /// <param name="dashboardLink">The group's dashboard page, if known.</param>
    /// <returns>The body text.</returns>
    public static string Body(ErrorRecord record, ErrorEvent occurrence, Uri? dashboardLink = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(occurrence);
        var body = new StringBuilder();
        foreach (var (label, value) in Facts(record, occurrence, dashboardLink))
        {
            body.Append(label).Append(": ").AppendLine(VisibleText.Escape(value));
        }

        body.AppendLine();
        body.Append(TracebackRenderer.Render(occurrence));
        return body.ToString();
    }

    /// <summary>The HTML body: the same facts and traceback as <see cref="Body"/>, every recorded value HTML-encoded.</summary>
    /// <param name="record">The group.</param>
    /// <param name="occurrence">The occurrence.</param>
    /// <param name="dashboardLink">The group's dashboard page, if known.</param>
    /// <returns>An HTML document.</returns>
    public static string HtmlBody(ErrorRecord record, ErrorEvent occurrence, Uri? dashboardLink = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(occurrence);
        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        html.Append("<h2>").Append(Encode($"{occurrence.ExceptionType}: {occurrence.Message.Split('\n', 2)[0]}")).Append("</h2><table>");
        foreach (var (label, value) in Facts(record, occurrence, dashboardLink))
        {
            html.Append("<tr><th align=\"left\">").Append(Encode(label)).Append("</th><td>");
            if (label == DashboardLabel)
            {
                html.Append("<a href=\"").Append(Encode(value)).Append("\">").Append(Encode(value)).Append("</a>");
            }
            else
            {
                html.Append(Encode(value));
            }

            html.Append("</td></tr>");
        }

        html.Append("</table><pre style=\"background:#f4f4f4;padding:8px;white-space:pre-wrap\">")
            .Append(Encode(TracebackRenderer.Render(occurrence)))
            .Append("</pre></body></html>");
        return html.ToString();
    }

    /// <summary>The group's page on the dashboard, for notifications and tickets, or <see langword="null"/> without a dashboard address.</summary>
    /// <param name="dashboard">The dashboard's absolute address (<c>ErrorTracker:DashboardUrl</c>).</param>
    /// <param name="hash">The group's hash.</param>
    /// <returns>The link.</returns>
    public static Uri? DashboardLink(Uri? dashboard, string hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        // The path only: a query or fragment on the configured address must not end up before the group's id.
        return dashboard is { IsAbsoluteUri: true }
            ? new Uri(dashboard.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + Uri.EscapeDataString(hash))
            : null;
    }

    private const string DashboardLabel = "Dashboard";

    private static IEnumerable<(string Label, string Value)> Facts(ErrorRecord record, ErrorEvent occurrence, Uri? dashboardLink)
    {
        if (!string.IsNullOrEmpty(occurrence.Url ?? occurrence.Path))
        {
            yield return ("URL", $"{occurrence.Method} {occurrence.Url ?? occurrence.Path}".Trim());
        }

        yield return ("Occurrences", record.Count.ToString(CultureInfo.InvariantCulture));
        yield return ("First seen", record.CreatedOn.ToString("u", CultureInfo.InvariantCulture));
        yield return ("Last seen", record.LastSeen.ToString("u", CultureInfo.InvariantCulture));
        yield return ("Group", record.Hash);
        if (dashboardLink is not null)
        {
            yield return (DashboardLabel, dashboardLink.AbsoluteUri);
        }
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(VisibleText.Escape(text));
}
