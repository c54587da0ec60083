using System.Diagnostics.CodeAnalysis;
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
                masked = KeyValuePair().Replace(masked, MaskPair);
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

    private string MaskPair(Match match)
    {
        var key = match.Groups["key"].Value;
        if (!_rule.TryMask(key, out var replacement))
        {
            return match.Value;
        }

        var value = match.Groups["value"].Value;
        var quote = value.Length >= 2 && (value[0] == '"' || value[0] == '\'') ? value[0].ToString() : "";
        return match.Groups["lead"].Value + key + match.Groups["sep"].Value + quote + replacement + quote;
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

    // key=value, key: value, "key": "value" and 'key'='value'. The value after '=' runs to the next ';' or '&'
    // (connection strings and query strings may hold spaces); after ':' it is one token or a quoted string.
    [GeneratedRegex("""(?<lead>["']?)(?<key>[A-Za-z_][A-Za-z0-9_.\-]*)(?<sep>["']?\s*(?:=|:)\s*)(?<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|(?<==\s*)[^;&\r\n"']+|[^\s;,&"'<>]+)""", RegexOptions.CultureInvariant, PatternTimeoutMilliseconds)]
    private static partial Regex KeyValuePair();

    [GeneratedRegex(@"\b(?<scheme>Bearer|Basic|Digest)\s+[A-Za-z0-9\-._~+/]{6,}=*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, PatternTimeoutMilliseconds)]
    private static partial Regex AuthorizationScheme();

    [GeneratedRegex(@"(?<prefix>\b[A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s]+:)[^@/?#\s]+@", RegexOptions.CultureInvariant, PatternTimeoutMilliseconds)]
    private static partial Regex UrlUserInfo();
}
