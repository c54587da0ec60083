using System.Text;
using ErrorTracking.Rendering;

namespace ErrorTracking.Http.Content;

/// <summary>
/// How recorded text is put into a message for one kind of reader. Recorded text (messages, URLs, tracebacks)
/// comes from whoever made the request that failed: in a format that renders markup, it goes only into code,
/// where it can neither format, link nor mention anyone, and where no sequence in it can end the code early.
/// Invisible and reordering characters in it are shown as <see cref="VisibleText"/> escapes in every format.
/// </summary>
internal abstract class TextFormat
{
    /// <summary>As it is, for the generic ticket webhook's text.</summary>
    public static readonly TextFormat Plain = new PlainFormat();

    /// <summary>GitHub-flavoured Markdown (CommonMark), for issues and comments.</summary>
    public static readonly TextFormat Markdown = new MarkdownFormat();

    /// <summary>Slack's mrkdwn, as Mattermost also reads it.</summary>
    public static readonly TextFormat Slack = new SlackFormat();

    /// <summary>A "label: value" line; <paramref name="value"/> is already formatted.</summary>
    public abstract string Fact(string label, string value);

    /// <summary>Recorded text on one line.</summary>
    public string Code(string recorded) => InCode(VisibleText.Escape(recorded));

    /// <summary>Recorded text on several lines.</summary>
    public string Block(string recorded) => InBlock(VisibleText.Escape(recorded));

    /// <summary>A link to a configured address (never a recorded one).</summary>
    public abstract string Link(Uri address, string text);

    /// <summary>Escaped recorded text on one line, in this format's code.</summary>
    protected abstract string InCode(string recorded);

    /// <summary>Escaped recorded text on several lines, in this format's code block.</summary>
    protected abstract string InBlock(string recorded);

    private sealed class PlainFormat : TextFormat
    {
        public override string Fact(string label, string value) => $"{label}: {value}";

        protected override string InCode(string recorded) => OneLine(recorded);

        protected override string InBlock(string recorded) => recorded.TrimEnd();

        public override string Link(Uri address, string text) => address.AbsoluteUri;
    }

    private sealed class MarkdownFormat : TextFormat
    {
        public override string Fact(string label, string value) => $"- **{label}:** {value}";

        // A code span ends at a backtick run as long as its opener: open with a longer one. The padding spaces
        // are stripped by the renderer and keep a leading or trailing backtick from joining the delimiter.
        protected override string InCode(string recorded)
        {
            var text = OneLine(recorded);
            var fence = new string('`', LongestRun(text, '`') + 1);
            return $"{fence} {text} {fence}";
        }

        // A fenced block ends only at a line holding a backtick run at least as long as its opening fence, so a
        // fence longer than any run in the text cannot be closed from inside it (a tilde run cannot close it at all).
        protected override string InBlock(string recorded)
        {
            var text = recorded.ReplaceLineEndings("\n").TrimEnd();
            var fence = new string('`', Math.Max(3, LongestRun(text, '`') + 1));
            return $"{fence}text\n{text}\n{fence}";
        }

        public override string Link(Uri address, string text) => $"[{text}](<{address.AbsoluteUri}>)";
    }

    private sealed class SlackFormat : TextFormat
    {
        public override string Fact(string label, string value) => $"{label}: {value}";

        protected override string InCode(string recorded) => $"`{Defang(OneLine(recorded))}`";

        protected override string InBlock(string recorded) => $"```\n{Defang(recorded.ReplaceLineEndings("\n").TrimEnd())}\n```";

        public override string Link(Uri address, string text) => $"<{address.AbsoluteUri}|{text}>";

        // mrkdwn has no escape inside code and no longer fences, and Slack reads <!channel> and <url|text>
        // wherever they are; Mattermost renders HTML entities in code literally, so &lt; would show as such.
        // Look-alike characters keep the text readable in both without letting it end the code or link anywhere.
        private static string Defang(string text) => new StringBuilder(text)
            .Replace('`', '\u02CB')
            .Replace('<', '\u2039')
            .Replace('>', '\u203A')
            .ToString();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static int LongestRun(string text, char c)
    {
        int longest = 0, current = 0;
        foreach (var ch in text)
        {
            current = ch == c ? current + 1 : 0;
            longest = Math.Max(longest, current);
        }

        return longest;
    }
}
