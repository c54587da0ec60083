using System.Text;

namespace ErrorTracking.Storage;

/// <summary>Text that a UTF-8 database can store: a lone surrogate (invalid UTF-16) becomes U+FFFD, as UTF-8 encoders do.</summary>
internal static class TextSafety
{
    public static string ReplaceLoneSurrogates(string text)
    {
        StringBuilder? fixedText = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var lone = char.IsHighSurrogate(c) ? i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])
                : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]));
            if (lone)
            {
                fixedText ??= new StringBuilder(text, 0, i, text.Length);
                fixedText.Append('\uFFFD');
            }
            else
            {
                fixedText?.Append(c);
            }
        }

        return fixedText?.ToString() ?? text;
    }
}
