using System.Diagnostics.CodeAnalysis;

namespace ErrorTracking.Masking;

/// <summary>
/// The default rule, as upstream's: a name is masked when its lower-case form contains one of the configured
/// fragments. Separators (<c>-</c>, <c>_</c>, <c>.</c>, spaces) are ignored on both sides, so the fragment
/// <c>api_key</c> also masks the header <c>X-Api-Key</c>. No fragments means nothing is masked by name.
/// </summary>
public sealed class KeyFragmentMaskingRule : IMaskingRule
{
    private const int StackLimit = 256;
    private readonly string[] _fragments;
    private readonly string _mask;

    /// <summary>Creates the rule.</summary>
    /// <param name="fragments">The fragments; matching is case-insensitive.</param>
    /// <param name="mask">The replacement text.</param>
    public KeyFragmentMaskingRule(IEnumerable<string> fragments, string mask)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        ArgumentNullException.ThrowIfNull(mask);
        _fragments = fragments
            .Select(Normalize)
            .Where(fragment => fragment.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        _mask = mask;
    }

    /// <inheritdoc />
    public bool TryMask(string name, [NotNullWhen(true)] out string? replacement)
    {
        replacement = null;
        if (_fragments.Length == 0 || string.IsNullOrEmpty(name))
        {
            return false;
        }

        Span<char> buffer = name.Length <= StackLimit ? stackalloc char[name.Length] : new char[name.Length];
        var normalized = buffer[..Normalize(name, buffer)];
        foreach (var fragment in _fragments)
        {
            if (normalized.Contains(fragment.AsSpan(), StringComparison.Ordinal))
            {
                replacement = _mask;
                return true;
            }
        }

        return false;
    }

    private static string Normalize(string value)
    {
        var buffer = new char[value.Length];
        return new string(buffer, 0, Normalize(value, buffer));
    }

    private static int Normalize(ReadOnlySpan<char> value, Span<char> destination)
    {
        var length = 0;
        foreach (var c in value)
        {
            if (c is '-' or '_' or '.' or ' ')
            {
                continue;
            }

            destination[length++] = char.ToLowerInvariant(c);
        }

        return length;
    }
}
