using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace ErrorTracking.Masking;

/// <summary>
/// The one masking engine every capture path goes through: names through the <see cref="IMaskingRule"/>, free
/// text (messages, string values, bodies) through value patterns that find secrets by their shape.
/// </summary>
internal sealed partial class SecretMasker
{
    private const int PatternTimeoutMilliseconds = 500;
    private readonly IMaskingRule _rule;
    private readonly string _mask;
    private readonly bool _maskText;
    private readonly Regex[] _extraPatterns;

    public SecretMasker(IMaskingRule rule, string mask, bool maskText, IEnumerable<Regex> extraPatterns)
    {
        _rule = rule;
        _mask = mask;
        _maskText = maskText;
        _extraPatterns = extraPatterns.ToArray();
    }

    public string Mask => _mask;

    public bool TryMaskName(string name, [NotNullWhen(true)] out string? replacement) => _rule.TryMask(name, out replacement);

    /// <summary>Masks the secrets found inside <paramref name="text"/>; the text is returned unchanged when none is found.</summary>
    public string MaskText(string text)
    {
        if (!_maskText || text.Length == 0)
        {
            return text;
        }

        try
        {
            var masked = text;
            if (masked.AsSpan().IndexOfAny('=', ':', ' ') >= 0)
            {
                masked = AuthorizationScheme().Replace(masked, m => m.Groups["scheme"].Value + " " + _mask);
                masked = MaskPairs(masked);
            }

            if (masked.Contains('@'))
            {
                masked = UrlUserInfo().Replace(masked, m => m.Groups["prefix"].Value + _mask + "@");
            }

            foreach (var pattern in _extraPatterns)
            {
                masked = pattern.Replace(masked, MaskMatch);
            }

            return masked;
        }
        catch (RegexMatchTimeoutException)
        {
            // Text we cannot scan in time cannot be shown safely.
            return $"<{text.Length} characters withheld: too long to scan for secrets>";
        }
    }

    // Only the key and separator are matched, so a pair whose key is not secret consumes nothing and a secret
    // pair later in its value (a query string inside a URL) is still found.
    private string MaskPairs(string text)
    {
        StringBuilder? result = null;
        var copied = 0;
        var match = KeyAndSeparator().Match(text);
        while (match.Success)
        {
            var valueStart = match.Index + match.Length;
            if (!_rule.TryMask(match.Groups["key"].Value, out var replacement) || valueStart >= text.Length)
            {
                match = match.NextMatch();
                continue;
            }

            var (innerStart, innerEnd, valueEnd) = FindValue(text, valueStart, match.Groups["sep"].Value.Contains('='));
            result ??= new StringBuilder(text.Length);
            result.Append(text, copied, innerStart - copied).Append(replacement);
            copied = innerEnd;
            match = KeyAndSeparator().Match(text, Math.Min(valueEnd, text.Length));
        }

        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>Where a value starts and ends: inside its quotes, else up to the next delimiter.</summary>
    private static (int InnerStart, int InnerEnd, int ValueEnd) FindValue(string text, int start, bool assignment)
    {
        var first = text[start];
        if (first is '"' or '\'')
        {
            for (var i = start + 1; i < text.Length; i++)
            {
                if (text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == first)
                {
                    return (start + 1, i, i + 1);
                }
            }

            return (start + 1, text.Length, text.Length);
        }

        // After '=' (connection strings, query strings) a value may hold spaces; after ':' it is one token.
        var end = text.AsSpan(start).IndexOfAny(assignment ? ";&\r\n\"'<>" : " \t;,&\r\n\"'<>");
        var stop = end < 0 ? text.Length : start + end;
        return (start, stop, stop);
    }

    private string MaskMatch(Match match)
    {
        var secret = match.Groups["secret"];
        if (!secret.Success)
        {
            return _mask;
        }

        var relative = secret.Index - match.Index;
        return string.Concat(match.Value.AsSpan(0, relative), _mask, match.Value.AsSpan(relative + secret.Length));
    }

    // The key of key=value, key: value, "key": "value" and 'key'='value'.
    [GeneratedRegex("""["']?(?<key>[A-Za-z_][A-Za-z0-9_.\-]*)(?<sep>["']?[ \t]*[=:][ \t]*)""", RegexOptions.CultureInvariant, PatternTimeoutMilliseconds)]
    private static partial Regex KeyAndSeparator();

    [GeneratedRegex(@"\b(?<scheme>Bearer|Basic|Digest)\s+[A-Za-z0-9\-._~+/]{6,}=*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, PatternTimeoutMilliseconds)]
    private static partial Regex AuthorizationScheme();

    [GeneratedRegex(@"(?<prefix>\b[A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s]+:)[^@/?#\s]+@", RegexOptions.CultureInvariant, PatternTimeoutMilliseconds)]
    private static partial Regex UrlUserInfo();
}
