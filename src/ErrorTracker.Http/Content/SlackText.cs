using System.Globalization;
using System.Text;
using ErrorTracking.Notification;
using ErrorTracking.Rendering;

namespace ErrorTracking.Http.Content;

/// <summary>The text of a Slack or Mattermost message: the subject, the dashboard link and the start of the traceback.</summary>
internal static class SlackText
{
    /// <summary>Traceback lines shown; the rest is a click away, on the dashboard.</summary>
    public const int ExcerptLines = 12;

    /// <summary>Traceback characters shown at most.</summary>
    public const int ExcerptLength = 1_500;

    /// <summary>Subject characters shown at most: the pipeline's subjects are shorter, a custom one may not be.</summary>
    public const int SubjectLength = 300;

    public static string For(ErrorNotification notification)
    {
        var format = TextFormat.Slack;
        var text = new StringBuilder(format.Code(PlainText.Cut(notification.Subject, SubjectLength))).Append('\n');
        if (notification.HeldBack > 0)
        {
            text.Append(notification.HeldBack.ToString("N0", CultureInfo.InvariantCulture))
                .Append(notification.HeldBack == 1 ? " notification was" : " notifications were")
                .Append(" held back by the per-minute limit.\n");
        }

        if (notification.DashboardLink is { } link)
        {
            text.Append(format.Link(link, "Open the group on the dashboard")).Append('\n');
        }

        var traceback = TracebackRenderer.Render(notification.Occurrence);
        text.Append(format.Block(PlainText.Excerpt(traceback, ExcerptLines, ExcerptLength, "...")));
        return text.ToString();
    }
}
