using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ErrorTracking.Rendering;

/// <summary>
/// Recorded text made safe to look at: every character that would change how the text around it is shown
/// instead of showing itself is written as a visible escape, <c>⟨U+202E⟩</c>. Recorded text comes from whoever
/// made the request that failed, so a right-to-left override could make <c>invoice_⟨U+202E⟩gnp.exe</c> read as
/// <c>invoice_exe.png</c>, a zero-width space could hide in a look-alike name, and a terminal control could rewrite
/// the screen. Every display path (dashboard, traceback, command-line tool, notifications, tickets) goes through
/// <see cref="Escape"/>; stored values stay as recorded.
/// </summary>
/// <remarks>
/// Escaped are: C0 and C1 controls except tab, line feed and a carriage return that begins a CRLF line ending;
/// format characters (Unicode category Cf: bidirectional embeddings, overrides, isolates and marks, zero-width
/// spaces and joiners, the byte order mark, tag characters); the line and paragraph separators U+2028 and U+2029;
/// and lone surrogates. Valid surrogate pairs are kept whole. The escape is made of visible characters only, so
/// escaping escaped text changes nothing.
/// </remarks>
public static class VisibleText
{
    // Every UTF-16 unit that may need an escape; surrogates are here so that pairs can be looked at whole.
    private static readonly SearchValues<char> Suspects = SearchValues.Create(CollectSuspects());

    /// <summary>The text with every invisible or reordering character written as <c>⟨U+XXXX⟩</c>.</summary>
    /// <param name="text">Recorded text, or <see langword="null"/>.</param>
    /// <returns>The same string instance when there is nothing to escape; <see langword="null"/> for <see langword="null"/>.</returns>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Escape(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var next = text.AsSpan().IndexOfAny(Suspects);
        if (next < 0)
        {
            return text;
        }

        StringBuilder? escaped = null;
        var copied = 0;
        while (next >= 0)
        {
            var width = Width(text, next, out var codePoint);
            if (codePoint >= 0)
            {
                escaped ??= new StringBuilder(text.Length + 16);
                escaped.Append(text, copied, next - copied).Append("⟨U+").Append(codePoint.ToString("X4", CultureInfo.InvariantCulture)).Append('⟩');
                copied = next + width;
            }

            var after = next + width;
            var found = text.AsSpan(after).IndexOfAny(Suspects);
            next = found < 0 ? -1 : after + found;
        }

        return escaped is null ? text : escaped.Append(text, copied, text.Length - copied).ToString();
    }

    // How many units the suspect at index takes, and the code point to escape, or -1 when it is shown as it is.
    private static int Width(string text, int index, out int codePoint)
    {
        var unit = text[index];
        var hasNext = index + 1 < text.Length;
        if (unit == '\r')
        {
            codePoint = hasNext && text[index + 1] == '\n' ? -1 : unit;
            return 1;
        }

        if (char.IsHighSurrogate(unit) && hasNext && char.IsLowSurrogate(text[index + 1]))
        {
            var pair = char.ConvertToUtf32(unit, text[index + 1]);
            codePoint = CharUnicodeInfo.GetUnicodeCategory(pair) == UnicodeCategory.Format ? pair : -1;
            return 2;
        }

        codePoint = unit;
        return 1;
    }

    private static char[] CollectSuspects()
    {
        var suspects = new List<char>();
        for (var unit = char.MinValue; ; unit++)
        {
            var suspect = CharUnicodeInfo.GetUnicodeCategory(unit) switch
            {
                UnicodeCategory.Control => unit is not '\t' and not '\n',
                UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate => true,
                _ => false,
            };
            if (suspect)
            {
                suspects.Add(unit);
            }

            if (unit == char.MaxValue)
            {
                return [.. suspects];
            }
        }
    }
}
