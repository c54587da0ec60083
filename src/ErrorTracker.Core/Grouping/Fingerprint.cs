using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ErrorTracking.Records;

namespace ErrorTracking.Grouping;

/// <summary>
/// The grouping key. Upstream hashed the whole traceback text, so one edit, a moved line or an id in a message
/// split a group. This hashes what identifies a failure: the exception types of the chain and the in-app call
/// path (declaring type, method and parameter types), never line numbers, file paths or messages unless asked.
/// SHA-256, so the same failure gets the same hash in every process, on every machine, after every restart.
/// </summary>
public static partial class Fingerprint
{
    /// <summary>Hashes any grouping key text into the 64 lower-case hexadecimal characters groups are stored under.</summary>
    /// <param name="key">The key text.</param>
    /// <returns>The SHA-256 of the UTF-8 text, as lower-case hexadecimal.</returns>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>The default grouping key text of an occurrence, before hashing.</summary>
    /// <param name="exception">The exception chain.</param>
    /// <param name="includeMessage">Whether the normalized message takes part.</param>
    /// <returns>One line per exception type and frame.</returns>
    public static string DefaultKey(ExceptionDetail exception, bool includeMessage)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var chain = exception.SelfAndDescendants().ToList();
        var anyInApp = chain.Any(e => e.Frames.Any(f => f.InApp));
        var anyFrame = chain.Any(e => e.Frames.Count > 0);
        var key = new StringBuilder();
        AppendKey(key, exception, anyInApp);

        if (includeMessage || !anyFrame)
        {
            key.Append("message:").Append(NormalizeMessage(exception.Message)).Append('\n');
        }

        return key.ToString();
    }

    /// <summary>The grouping key text of an occurrence its recorder gave a key of its own, before hashing.</summary>
    /// <param name="groupingKey">The recorder's key, such as an HTTP status, method and route.</param>
    /// <returns>A key that no default key (of an exception chain) can equal.</returns>
    public static string GivenKey(string groupingKey)
    {
        ArgumentNullException.ThrowIfNull(groupingKey);
        return "given:" + groupingKey + "\n";
    }

    // Inner exceptions are keyed in a canonical order without repeats: Parallel and Task.WhenAll add them in
    // completion order, and the same failure must not split by which task finished first.
    private static void AppendKey(StringBuilder key, ExceptionDetail exception, bool inAppOnly)
    {
        key.Append("type:").Append(exception.Type).Append('\n');
        foreach (var frame in exception.Frames)
        {
            if (frame.InApp || !inAppOnly)
            {
                key.Append("frame:").Append(NormalizeName(frame.DeclaringType)).Append('.')
                    .Append(NormalizeName(frame.Method)).Append('(')
                    .AppendJoin(',', frame.Parameters.Select(p => p.TypeName)).Append(")\n");
            }
        }

        var inner = exception.InnerExceptions
            .Select(child =>
            {
                var childKey = new StringBuilder();
                AppendKey(childKey, child, inAppOnly);
                return childKey.ToString();
            })
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var childKey in inner)
        {
            key.Append(childKey);
        }
    }

    /// <summary>
    /// Replaces what varies between occurrences of one failure in a message: GUIDs, hexadecimal ids, numbers
    /// and quoted values.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The message with variable parts replaced by placeholders.</returns>
    public static string NormalizeMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var normalized = GuidPattern().Replace(message, "<guid>");
        normalized = QuotedPattern().Replace(normalized, "'<value>'");
        normalized = HexPattern().Replace(normalized, "<hex>");
        return NumberPattern().Replace(normalized, "<n>");
    }

    // Compiler ordinals (<Main>b__0_1, d__5, DisplayClass3_0) change whenever a method is edited.
    private static string NormalizeName(string name) =>
        name.Contains('<', StringComparison.Ordinal) ? CompilerOrdinalPattern().Replace(name, "") : name;

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\b", RegexOptions.CultureInvariant)]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"'[^'\r\n]{0,200}'|""[^""\r\n]{0,200}""", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedPattern();

    [GeneratedRegex(@"\b0[xX][0-9a-fA-F]+\b|\b(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex HexPattern();

    [GeneratedRegex(@"\d+(?:[.,]\d+)*", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"(?<=__|DisplayClass|d__|\|)\d+(?:_\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex CompilerOrdinalPattern();
}
