using System.Text;
using System.Text.RegularExpressions;

namespace ErrorTracking.Masking;

/// <summary>
/// Runs the secret detectors over a text, each only when the text can hold its secret: one of its hints is in the
/// text (looked for where a token starts, for a pattern that requires that), and the text has the digits and the run
/// of base64 characters its gate asks for. Ordinary text costs one pass over its characters and no regular expression.
/// </summary>
internal sealed class SecretScanner
{
    // The shortest secret any built-in detector finds (an SSN with its dashes) is 11 characters.
    private const int ShortestText = 11;
    private readonly SecretDetector[] _detectors;
    private readonly (string Hint, int Detector)[]?[] _atTokenStart = new (string, int)[]?[128];
    private readonly (string Hint, int Detector)[] _anywhere;
    private readonly bool _hasUngated;

    public SecretScanner(IEnumerable<SecretDetector> detectors)
    {
        _detectors = detectors.ToArray();
        var anywhere = new List<(string, int)>();
        var atStart = new Dictionary<char, List<(string, int)>>();
        for (var index = 0; index < _detectors.Length; index++)
        {
            var detector = _detectors[index];
            foreach (var hint in detector.Hints)
            {
                if (detector.Gate.HintsAtTokenStart && char.IsAsciiLetterOrDigit(hint[0]))
                {
                    (atStart.TryGetValue(hint[0], out var bucket) ? bucket : atStart[hint[0]] = []).Add((hint, index));
                }
                else
                {
                    anywhere.Add((hint, index));
                }
            }
        }

        foreach (var (first, bucket) in atStart)
        {
            _atTokenStart[first] = [.. bucket];
        }

        _anywhere = [.. anywhere];
        var gated = _detectors.Where(detector => detector.Hints.Count == 0).ToArray();
        _hasUngated = gated.Any(detector => detector.Gate.Admits is null);
    }

    /// <summary>The built-in detectors less those disabled by name, then the added ones.</summary>
    public static IEnumerable<SecretDetector> Select(IEnumerable<string> disabled, IEnumerable<SecretDetector> added)
    {
        var off = disabled.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return BuiltInSecretDetectors.All.Where(detector => !off.Contains(detector.Name)).Concat(added);
    }

    /// <summary>
    /// The text with each secret found replaced by its detector's marker; the same instance when none is found. A
    /// secret percent-encoded (in a URL, a form body kept as text) is looked for in the decoded text too, and when
    /// one is found there the decoded, masked text is what is kept.
    /// </summary>
    public string Mask(string text)
    {
        var masked = MaskAsWritten(text);
        var decoded = masked;
        for (var level = 0; level < 2 && decoded.Contains('%', StringComparison.Ordinal); level++)
        {
            var next = Uri.UnescapeDataString(decoded);
            if (next.Length == decoded.Length)
            {
                break;
            }

            decoded = next;
            var maskedDecoded = MaskAsWritten(decoded);
            if (!ReferenceEquals(maskedDecoded, decoded))
            {
                return maskedDecoded;
            }
        }

        return masked;
    }

    private string MaskAsWritten(string text)
    {
        if (_detectors.Length == 0 || (text.Length < ShortestText && !_hasUngated))
        {
            return text;
        }

        Span<bool> hinted = _detectors.Length <= 256 ? stackalloc bool[_detectors.Length] : new bool[_detectors.Length];
        var (anyHint, survey) = Survey(text, hinted);
        var masked = text;
        for (var index = 0; index < _detectors.Length; index++)
        {
            var detector = _detectors[index];
            var runs = detector.Hints.Count > 0
                ? anyHint && hinted[index]
                : detector.Gate.Admits?.Invoke(survey) ?? true;
            if (runs)
            {
                masked = Replace(detector, masked);
            }
        }

        return masked;
    }

    /// <summary>
    /// One pass over the text: which detectors' hints start a token in it (or occur anywhere, for the few that sit
    /// inside one), and the <see cref="TextSurvey"/> the other detectors' gates read. A plain loop over a class table:
    /// the text is mostly short, where vectorized searches cost more than they save.
    /// </summary>
    private (bool AnyHint, TextSurvey Survey) Survey(string text, Span<bool> hinted)
    {
        var any = false;
        int digitRun = 0, longestDigitRun = 0, hexRun = 0, longestHexRun = 0, base64Run = 0, longestBase64Run = 0;
        var separated = false;
        var countryCode = false;
        var previousWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var kind = c < 128 ? Classes[c] : (byte)0;
            if ((kind & Digit) != 0)
            {
                longestDigitRun = Math.Max(longestDigitRun, ++digitRun);
                separated = false;
                countryCode |= i >= 3 && (Classes[text[i - 1] & 127] & Digit) != 0 && char.IsAsciiLetterUpper(text[i - 2]) && char.IsAsciiLetterUpper(text[i - 3]);
            }
            else if (c is ' ' or '-' && digitRun > 0 && !separated)
            {
                separated = true;
            }
            else
            {
                digitRun = 0;
                separated = false;
            }

            hexRun = (kind & Hex) != 0 ? hexRun + 1 : 0;
            longestHexRun = Math.Max(longestHexRun, hexRun);
            base64Run = (kind & Base64) != 0 ? base64Run + 1 : 0;
            longestBase64Run = Math.Max(longestBase64Run, base64Run);
            var word = (kind & Word) != 0;
            if (word && !previousWord && _atTokenStart[c] is { } bucket)
            {
                var rest = text.AsSpan(i);
                foreach (var (hint, detector) in bucket)
                {
                    if (!hinted[detector] && rest.StartsWith(hint, StringComparison.Ordinal))
                    {
                        hinted[detector] = any = true;
                    }
                }
            }

            previousWord = word;
        }

        foreach (var (hint, detector) in _anywhere)
        {
            if (!hinted[detector] && text.Contains(hint, StringComparison.Ordinal))
            {
                hinted[detector] = any = true;
            }
        }

        return (any, new TextSurvey(longestDigitRun, longestHexRun, longestBase64Run, countryCode));
    }

    private const byte Word = 1;
    private const byte Digit = 2;
    private const byte Base64 = 4;
    private const byte Hex = 8;

    // What each ASCII character is to the survey: part of a word (a token cannot start after one), a digit, part of a
    // base64 run (percent escapes included, as in a URL).
    private static readonly byte[] Classes = MakeClasses();

    private static byte[] MakeClasses()
    {
        var classes = new byte[128];
        for (var c = 0; c < 128; c++)
        {
            var ch = (char)c;
            classes[c] = (byte)((char.IsAsciiLetterOrDigit(ch) || ch == '_' ? Word : 0)
                | (char.IsAsciiDigit(ch) ? Digit : 0)
                | (char.IsAsciiLetterOrDigit(ch) || ch is '+' or '/' or '%' ? Base64 : 0)
                | (char.IsAsciiDigit(ch) || ch is >= 'a' and <= 'f' ? Hex : 0));
        }

        return classes;
    }

    private static string Replace(SecretDetector detector, string text)
    {
        StringBuilder? result = null;
        var copied = 0;
        for (var match = detector.Pattern.Match(text); match.Success; match = match.NextMatch())
        {
            if (detector.Validator is { } validator && !validator(match.Value))
            {
                continue;
            }

            var secret = match.Groups["secret"] is { Success: true } group ? (System.Text.RegularExpressions.Capture)group : match;
            result ??= new StringBuilder(text.Length);
            result.Append(text, copied, secret.Index - copied).Append(detector.Marker);
            copied = secret.Index + secret.Length;
        }

        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }
}
