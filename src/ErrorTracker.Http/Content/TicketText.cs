using System.Globalization;
using System.Text;
using ErrorTracking.Records;
using ErrorTracking.Rendering;

namespace ErrorTracking.Http.Content;

/// <summary>The title, body and recurrence comment of a ticket, built from the masked record, in any <see cref="TextFormat"/>.</summary>
internal static class TicketText
{
    /// <summary>Titles longer than this are cut; GitHub refuses titles over 256 characters.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>Traceback characters kept in a body: GitHub refuses bodies over 65,536 characters.</summary>
    public const int MaxTracebackLength = 60_000;

    private const string CutNote = "... (cut: the whole traceback is on the dashboard)";

    /// <summary>"ExceptionType: first line of the message (METHOD /path)", the parts that are absent left out.</summary>
    public static string Title(ErrorEvent occurrence)
    {
        var message = PlainText.FirstLine(occurrence.Message);
        var title = new StringBuilder(occurrence.ExceptionType);
        if (message.Length > 0)
        {
            title.Append(": ").Append(message);
        }

        var where = $"{occurrence.Method} {occurrence.Path}".Trim();
        if (where.Length > 0)
        {
            title.Append(" (").Append(where).Append(')');
        }

        return PlainText.Cut(VisibleText.Escape(title.ToString().ReplaceLineEndings(" ")), MaxTitleLength);
    }

    /// <summary>The body of a new ticket: where, how often, when, the dashboard link and the masked traceback.</summary>
    public static string Raised(ErrorRecord record, ErrorEvent occurrence, Uri? dashboardLink, TextFormat format)
    {
        var text = new StringBuilder();
        if (Where(occurrence) is { Length: > 0 } where)
        {
            text.AppendLine(format.Fact("URL", format.Code(where)));
        }

        text.AppendLine(format.Fact("Occurrences", Number(record.Count)));
        text.AppendLine(format.Fact("First seen", Time(record.CreatedOn)));
        text.AppendLine(format.Fact("Last seen", Time(record.LastSeen)));
        text.AppendLine(format.Fact("Group", format.Code(record.Hash)));
        if (dashboardLink is not null)
        {
            text.AppendLine(format.Fact("Dashboard", format.Link(dashboardLink, "the group's page")));
        }

        var traceback = TracebackRenderer.Render(occurrence);
        if (traceback.Length > MaxTracebackLength)
        {
            traceback = PlainText.Cut(traceback, MaxTracebackLength) + "\n" + CutNote;
        }

        text.AppendLine().AppendLine(format.Block(traceback));
        return text.ToString();
    }

    /// <summary>The comment for a recurrence: the count, the last time, the latest occurrence's message and URL, and the link.</summary>
    public static string Recurred(ErrorRecord record, ErrorEvent occurrence, Uri? dashboardLink, TextFormat format)
    {
        var text = new StringBuilder();
        text.Append("Happened again: ").Append(Number(record.Count)).Append(record.Count == 1 ? " occurrence" : " occurrences")
            .Append(" in all, last seen ").Append(Time(record.LastSeen)).AppendLine(".");
        text.AppendLine();
        if (Where(occurrence) is { Length: > 0 } where)
        {
            text.AppendLine(format.Fact("URL", format.Code(where)));
        }

        text.AppendLine(format.Fact("Occurred at", Time(occurrence.Timestamp)));
        if (dashboardLink is not null)
        {
            text.AppendLine(format.Fact("Dashboard", format.Link(dashboardLink, "the group's page")));
        }

        text.AppendLine().AppendLine(format.Block(PlainText.Cut($"{occurrence.ExceptionType}: {occurrence.Message}", MaxTracebackLength)));
        return text.ToString();
    }

    private static string Where(ErrorEvent occurrence) => $"{occurrence.Method} {occurrence.Url ?? occurrence.Path}".Trim();

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("u", CultureInfo.InvariantCulture);
}
