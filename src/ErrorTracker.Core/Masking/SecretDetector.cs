using System.Text.RegularExpressions;

namespace ErrorTracking.Masking;

/// <summary>
/// Finds one kind of secret by its shape inside any text the tracker keeps: a pattern, an optional validator that
/// confirms a match (a checksum, a decodable header), and optional hints, literal texts of which at least one must
/// occur for the pattern to run at all. A match is replaced by the detector's name in brackets, <c>[github-token]</c>,
/// or only its group named <c>secret</c> when the pattern has one.
/// </summary>
/// <remarks>
/// The built-in detectors (<see cref="BuiltInNames"/>) are on by default; switch one off by name with
/// <c>DisabledSecretDetectors</c>, add one with <c>SecretDetectors</c>.
/// </remarks>
public sealed class SecretDetector
{
    /// <summary>Creates a detector from a user's pattern, compiled with a 500 ms match timeout.</summary>
    /// <param name="name">The detector's name, shown in brackets where a match is masked: lower case, digits and dashes.</param>
    /// <param name="pattern">A .NET regular expression; a group named <c>secret</c> narrows what is masked.</param>
    /// <param name="validator">Confirms a match (given the whole match); <see langword="null"/> accepts every match.</param>
    /// <param name="hints">Literal texts (case-sensitive) of which one must occur in a text for the pattern to run; none: it always runs.</param>
    /// <exception cref="ArgumentException">The name is not lower case letters, digits and dashes, or the pattern does not compile.</exception>
    public SecretDetector(string name, string pattern, Func<string, bool>? validator = null, IReadOnlyList<string>? hints = null)
        : this(name, SecretMasker.CompileUserPattern(pattern ?? throw new ArgumentNullException(nameof(pattern))), validator, hints ?? [], default)
    {
    }

    internal SecretDetector(string name, Regex pattern, Func<string, bool>? validator, IReadOnlyList<string> hints, DetectorGate gate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!IsValidName(name))
        {
            throw new ArgumentException($"A secret detector's name is lower case letters, digits and dashes ('{name}' is not).", nameof(name));
        }

        Name = name;
        Pattern = pattern;
        Validator = validator;
        Hints = hints.Where(hint => hint.Length > 0).ToArray();
        Gate = gate;
        Marker = $"[{name}]";
    }

    /// <summary>The names of the built-in detectors, each on by default.</summary>
    // Read from the table, not kept here: the table builds detectors, so a copy here would depend on static
    // initialization order.
    public static IReadOnlyList<string> BuiltInNames => BuiltInSecretDetectors.Names;

    /// <summary>The detector's name, which also marks where it masked a secret: <c>[name]</c>.</summary>
    public string Name { get; }

    /// <summary>The pattern a secret of this kind matches.</summary>
    public Regex Pattern { get; }

    /// <summary>Confirms a match; <see langword="null"/> when every match is a secret.</summary>
    public Func<string, bool>? Validator { get; }

    /// <summary>Literal texts of which one must occur for the pattern to run; empty when it always runs.</summary>
    public IReadOnlyList<string> Hints { get; }

    /// <summary>What else a text must have for the pattern to run: the built-in detectors' cheap pre-filters.</summary>
    internal DetectorGate Gate { get; }

    /// <summary>What a match is replaced by.</summary>
    internal string Marker { get; }

    private static bool IsValidName(string name) => name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
