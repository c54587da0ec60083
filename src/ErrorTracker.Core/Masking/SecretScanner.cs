using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace ErrorTracking.Masking;

/// <summary>
/// Runs the secret detectors over a text. One vectorized search for every detector's hints decides which patterns
/// run at all, and a count of digits gates the numeric ones, so ordinary text costs a scan or two and no regex.
/// </summary>
internal sealed class SecretScanner
{
    // The shortest secret any built-in detector finds (an SSN with its dashes) is 11 characters.
    private const int ShortestText = 11;
    private readonly SecretDetector[] _detectors;
    private readonly SearchValues<string>? _hints;
    private readonly int _fewestDigits;
    private readonly bool _hasUngated;

    public SecretScanner(IEnumerable<SecretDetector> detectors)
    {
        _detectors = detectors.ToArray();
        var hints = _detectors.SelectMany(detector => detector.Hints).Distinct(StringComparer.Ordinal).ToArray();
        _hints = hints.Length == 0 ? null : SearchValues.Create(hints, StringComparison.Ordinal);
        var gated = _detectors.Where(detector => detector.Hints.Count == 0 && detector.MinimumDigits > 0).ToArray();
        _fewestDigits = gated.Length == 0 ? int.MaxValue : gated.Min(detector => detector.MinimumDigits);
        _hasUngated = _detectors.Any(detector => detector.Hints.Count == 0 && detector.MinimumDigits == 0);
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

        var hinted = _hints is not null && text.AsSpan().IndexOfAny(_hints) >= 0;
        var digits = _fewestDigits == int.MaxValue ? 0 : CountDigits(text, stopAt: 19);
        if (!hinted && digits < _fewestDigits && !_hasUngated)
        {
            return text;
        }

        var masked = text;
        foreach (var detector in _detectors)
        {
            if (ShouldRun(detector, masked, hinted, digits))
            {
                masked = Replace(detector, masked);
            }
        }

        return masked;
    }

    private static bool ShouldRun(SecretDetector detector, string text, bool hinted, int digits)
    {
        if (detector.Hints.Count > 0)
        {
            if (!hinted)
            {
                return false;
            }

            foreach (var hint in detector.Hints)
            {
                if (text.Contains(hint, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        return digits >= detector.MinimumDigits;
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

    private static int CountDigits(string text, int stopAt)
    {
        var count = 0;
        var rest = text.AsSpan();
        int next;
        while (count < stopAt && (next = rest.IndexOfAnyInRange('0', '9')) >= 0)
        {
            count++;
            rest = rest[(next + 1)..];
        }

        return count;
    }
}
