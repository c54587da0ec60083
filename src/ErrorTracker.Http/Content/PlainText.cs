namespace ErrorTracking.Http.Content;

/// <summary>Cutting recorded text to size.</summary>
internal static class PlainText
{
    /// <summary><paramref name="text"/> with at most <paramref name="length"/> characters, "..." marking a cut, never half a surrogate pair.</summary>
    public static string Cut(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var keep = Math.Max(0, length - 3);
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), "...");
    }

    /// <summary>The first line of <paramref name="text"/>, trimmed.</summary>
    public static string FirstLine(string text) => text.ReplaceLineEndings("\n").Split('\n', 2)[0].Trim();

    /// <summary>At most <paramref name="lines"/> lines and <paramref name="length"/> characters of <paramref name="text"/>, with a note when cut.</summary>
    public static string Excerpt(string text, int lines, int length, string cutNote)
    {
        var all = text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var kept = string.Join('\n', all.Take(lines));
        var cut = all.Length > lines || kept.Length > length;
        kept = cut && kept.Length > length ? Cut(kept, length) : kept;
        return cut ? kept + "\n" + cutNote : kept;
    }
}
