using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace ErrorTracking.Masking;

/// <summary>
/// The one masking engine every capture path goes through: names through the <see cref="IMaskingRule"/>, free
/// text (messages, string values, bodies) through the secret detectors, which find secrets by their shape, and
/// through patterns that find a secret next to its name (<c>key=value</c>, <c>Bearer</c>, a URL's password).
/// </summary>
internal sealed partial class SecretMasker
{
    // Only for a user's pattern that needs backtracking (lookarounds, backreferences): its time is not bounded otherwise.
    private static readonly TimeSpan UserPatternTimeout = TimeSpan.FromMilliseconds(500);
    private readonly IMaskingRule _rule;
    private readonly string _mask;
    private readonly bool _maskText;
    private readonly Regex[] _extraPatterns;
    private readonly SecretScanner _detectors;

    /// <param name="rule">Decides by name.</param>
    /// <param name="mask">Replaces a value masked by its name or by a user's pattern.</param>
    /// <param name="maskText">Whether text is scanned at all.</param>
    /// <param name="extraPatterns">The user's <c>MaskedValuePatterns</c>.</param>
    /// <param name="detectors">The secret detectors; <see langword="null"/> for every built-in one.</param>
    public SecretMasker(IMaskingRule rule, string mask, bool maskText, IEnumerable<Regex> extraPatterns, IEnumerable<SecretDetector>? detectors = null)
    {
        _rule = rule;
        _mask = mask;
        _maskText = maskText;
        _extraPatterns = extraPatterns.ToArray();
        _detectors = new SecretScanner(detectors ?? BuiltInSecretDetectors.All);
    }

    public string Mask => _mask;

    /// <summary>
    /// Compiles a user's value pattern (<c>MaskedValuePatterns</c>), with a timeout: its time is not bounded
    /// otherwise. Not <see cref="RegexOptions.NonBacktracking"/>, whose matches can differ from the backtracking
    /// engine's (it has dropped matches of patterns that start with an optional part): a missed match is a leak.
    /// </summary>
    public static Regex CompileUserPattern(string pattern) => new(pattern, RegexOptions.CultureInvariant, UserPatternTimeout);

    public bool TryMaskName(string name, [NotNullWhen(true)] out string? replacement) => _rule.TryMask(name, out replacement);

    /// <summary>Masks the secrets found inside <paramref name="text"/>; the text is returned unchanged when none is found.</summary>
    public string MaskText(string text)
    {
        if (!_maskText || text.Length == 0)
        {
            return text;
        }

        // Only a user's pattern has a timeout. It measures wall-clock time, so a thread stalled by the machine (a GC
        // pause, an overloaded host) can run out of it on ordinary text: one more try before the text is withheld.
        try
        {
            return Scan(text);
        }
        catch (RegexMatchTimeoutException)
        {
            try
            {
                return Scan(text);
            }
            catch (RegexMatchTimeoutException)
            {
                // Text we cannot scan in time cannot be shown safely.
                return $"<{text.Length} characters withheld: too long to scan for secrets>";
            }
        }
    }

    private string Scan(string text)
    {
        var masked = text;
        if (masked.AsSpan().IndexOfAny('=', ':', ' ') >= 0)
        {
            masked = AuthorizationScheme().Replace(masked, m => m.Groups["scheme"].Value + " " + _mask);
            masked = MaskPairs(masked);
        }

        if (masked.Contains("</", StringComparison.Ordinal))
        {
            masked = XmlElement().Replace(masked, MaskElement);
        }

        if (masked.Contains('@'))
        {
            masked = UrlUserInfo().Replace(masked, m => m.Groups["prefix"].Value + _mask + "@");
        }

        foreach (var pattern in _extraPatterns)
        {
            masked = pattern.Replace(masked, MaskMatch);
        }

        // Last, so a secret next to its name keeps the name's mask, and a user's pattern wins over a built-in shape.
        return _detectors.Mask(masked);
    }

    /// <summary>
    /// Masks text that could not be parsed, like <see cref="MaskText"/>, then withholds it whole when a name in it is
    /// still secret and no mask follows it: in broken structure (a missing separator, an unclosed quote) the value
    /// next to a secret name cannot be found, and guessing would leak it.
    /// </summary>
    public string MaskUnparsed(string text)
    {
        var masked = MaskText(text);
        if (!_maskText)
        {
            return masked;
        }

        foreach (Match name in NameToken().Matches(masked))
        {
            if (_rule.TryMask(name.Value, out var replacement) && !MaskFollows(masked, name.Index + name.Length, replacement))
            {
                var shown = name.Value.Length > 40 ? name.Value[..40] + "..." : name.Value;
                return $"<{text.Length} characters withheld: text that did not parse names a secret ({shown}) whose value could not be found>";
            }
        }

        return masked;
    }

    // A masked pair reads name, then at most a closing quote and a separator with spaces, then the mask.
    private static bool MaskFollows(string text, int nameEnd, string mask)
    {
        var window = text.AsSpan(nameEnd, Math.Min(text.Length - nameEnd, mask.Length + 16));
        return window.Contains(mask, StringComparison.Ordinal);
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

            var key = match.Groups["key"].Value;
            var (innerStart, innerEnd, valueEnd) = FindValue(text, valueStart, match.Groups["sep"].Value.Contains('='),
                toLineEnd: key.Contains("authorization", StringComparison.OrdinalIgnoreCase));
            result ??= new StringBuilder(text.Length);
            result.Append(text, copied, innerStart - copied).Append(replacement);
            copied = innerEnd;
            match = KeyAndSeparator().Match(text, Math.Min(valueEnd, text.Length));
        }

        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>Where a value starts and ends: inside its quotes, else up to the next delimiter.</summary>
    private static (int InnerStart, int InnerEnd, int ValueEnd) FindValue(string text, int start, bool assignment, bool toLineEnd)
    {
        var first = text[start];
        if (first == '\\' && start + 1 < text.Length && text[start + 1] == '"')
        {
            // A JSON string inside a string: the value ends at the next escaped quote.
            var close = text.IndexOf("\\\"", start + 2, StringComparison.Ordinal);
            return close < 0 ? (start + 2, text.Length, text.Length) : (start + 2, close, close + 2);
        }

        if (first == '\\' && text.AsSpan(start).StartsWith(@"\u00", StringComparison.Ordinal) && start + 6 <= text.Length
            && text.AsSpan(start + 4, 2) is "22" or "27")
        {
            // A quote written as a JSON escape, as in JSON text kept as it was because it did not parse.
            var quote = text.Substring(start, 6);
            var close = text.IndexOf(quote, start + 6, StringComparison.Ordinal);
            return close < 0 ? (start + 6, text.Length, text.Length) : (start + 6, close, close + 6);
        }

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

        if (toLineEnd)
        {
            // An authorization header's value is a scheme and a credential; all of it is secret.
            var lineEnd = text.AsSpan(start).IndexOfAny('\r', '\n');
            var end = lineEnd < 0 ? text.Length : start + lineEnd;
            return (start, end, end);
        }

        // After '=' (connection strings, query strings) a value may hold spaces; after ':' it is one token.
        var stopAt = text.AsSpan(start).IndexOfAny(assignment ? ";&\r\n\"'<>" : " \t;,&\r\n\"'<>");
        var stop = stopAt < 0 ? text.Length : start + stopAt;
        return (start, stop, stop);
    }

    private string MaskElement(Match match) =>
        _rule.TryMask(match.Groups["tag"].Value, out var replacement)
            ? $"<{match.Groups["tag"].Value}>{replacement}</{match.Groups["tag"].Value}>"
            : match.Value;

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

    // The built-in patterns have no timeout: each is anchored (a look-behind, a literal, a delimiter) so that its scan is
    // linear in the text's length, and a timeout, which measures wall-clock time, only turned a stalled thread into
    // withheld text.

    // The key of key=value, key: value, "key": "value", 'key'='value', \"key\": \"value\" (JSON inside a string) and
    // \u0022key\u0022: \u0022value\u0022 (JSON escapes kept in text that did not parse).
    // The look-behind starts a key only at a word boundary, which keeps the scan linear on long runs of letters.
    [GeneratedRegex("""(?<![A-Za-z0-9_.\-])(?:\\?["']|\\u00(?:22|27))?(?<key>[A-Za-z_][A-Za-z0-9_.\-]*)(?<sep>(?:\\?["']|\\u00(?:22|27))?\s*[=:]\s*)""", RegexOptions.CultureInvariant)]
    private static partial Regex KeyAndSeparator();

    [GeneratedRegex(@"(?<![A-Za-z0-9_.\-])[A-Za-z_][A-Za-z0-9_.\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex NameToken();

    [GeneratedRegex(@"\b(?<scheme>Bearer|Basic|Digest)\s+[A-Za-z0-9\-._~+/]{6,}=*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationScheme();

    [GeneratedRegex(@"(?<![A-Za-z0-9+.\-])(?<prefix>[A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s]*:)[^@/?#\s]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();

    [GeneratedRegex(@"<(?<tag>[A-Za-z_][A-Za-z0-9_.\-]{0,100})>[^<]*</\k<tag>>", RegexOptions.CultureInvariant)]
    private static partial Regex XmlElement();
}
