using System.Text;
using ErrorTracking.Rendering;

namespace ErrorTracking.Tool;

/// <summary>Output helpers: colour only on a terminal that wants it, aligned tables, a progress line on standard error.</summary>
internal static class Terminal
{
    /// <summary>Whether standard output is a terminal that accepts colour: not redirected, no <c>NO_COLOR</c>, not a dumb terminal.</summary>
    public static bool Colour { get; } =
        !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

    /// <summary>Whether a progress line can be drawn on standard error.</summary>
    public static bool Progress => !Console.IsErrorRedirected;

    /// <summary>Text in an ANSI colour (a code such as <c>31</c> for red), or plain when colour is off.</summary>
    public static string Paint(string text, string code) => Colour && text.Length > 0 ? $"\u001b[{code}m{text}\u001b[0m" : text;

    /// <summary>Draws a progress line on standard error (overwritten by the next one), when it is a terminal.</summary>
    public static void ShowProgress(string text)
    {
        if (Progress)
        {
            Console.Error.Write("\r" + text + "\u001b[K");
        }
    }

    /// <summary>Clears the progress line.</summary>
    public static void EndProgress()
    {
        if (Progress)
        {
            Console.Error.Write("\r\u001b[K");
        }
    }

    /// <summary>Recorded text to print: a control in it would otherwise drive the terminal, a bidi override reorder the line.</summary>
    public static string Shown(string text) => VisibleText.Escape(text);

    /// <summary>Shortens recorded text to a width, on one line, shown with <see cref="Shown"/>.</summary>
    public static string Fit(string text, int width)
    {
        var line = Shown(text.ReplaceLineEndings(" "));
        return line.Length <= width ? line : line[..Math.Max(0, width - 1)] + "…";
    }

    /// <summary>Writes rows as left-aligned columns; <paramref name="paint"/> colours a cell after padding.</summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<string[]> rows, Func<int, string, string>? paint = null)
    {
        var widths = headers.Select((h, column) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[column].Length))).ToArray();
        var line = new StringBuilder();
        for (var column = 0; column < headers.Count; column++)
        {
            line.Append(column == headers.Count - 1 ? headers[column] : headers[column].PadRight(widths[column] + 2));
        }

        output.WriteLine(Paint(line.ToString(), "1"));
        foreach (var row in rows)
        {
            line.Clear();
            for (var column = 0; column < row.Length; column++)
            {
                var cell = column == row.Length - 1 ? row[column] : row[column].PadRight(widths[column]);
                line.Append(paint is null ? cell : paint(column, cell));
                if (column < row.Length - 1)
                {
                    line.Append("  ");
                }
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }
}
