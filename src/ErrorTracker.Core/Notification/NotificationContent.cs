using System.Globalization;
using System.Text;
using ErrorTracking.Records;
using ErrorTracking.Rendering;

namespace ErrorTracking.Notification;

/// <summary>The subject and body of a notification, built from the masked record only.</summary>
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
        var subject = string.Join(' ', parts).ReplaceLineEndings(" ");
        return subject.Length <= MaxSubjectLength ? subject : string.Concat(subject.AsSpan(0, MaxSubjectLength - 3), "...");
    }

    /// <summary>The plain-text body: where it happened, how often, and the traceback with its variables.</summary>
    /// <param name="record">The group.</param>
    /// <param name="occurrence">The occurrence.</param>
    /// <returns>The body text.</returns>
    public static string Body(ErrorRecord record, ErrorEvent occurrence)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(occurrence);
        var body = new StringBuilder();
        if (!string.IsNullOrEmpty(occurrence.Url ?? occurrence.Path))
        {
            body.Append("URL: ").Append(occurrence.Method).Append(' ').AppendLine(occurrence.Url ?? occurrence.Path);
        }

        body.Append("Occurrences: ").AppendLine(record.Count.ToString(CultureInfo.InvariantCulture));
        body.Append("First seen: ").AppendLine(record.CreatedOn.ToString("u", CultureInfo.InvariantCulture));
        body.Append("Last seen: ").AppendLine(record.LastSeen.ToString("u", CultureInfo.InvariantCulture));
        body.Append("Group: ").AppendLine(record.Hash);
        body.AppendLine();
        body.Append(TracebackRenderer.Render(occurrence));
        return body.ToString();
    }
}
