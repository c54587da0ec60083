using System.Diagnostics.CodeAnalysis;

namespace ErrorTracking.Masking;

/// <summary>
/// Decides, from a name alone, whether a value is secret: the .NET form of upstream's <c>MaskingMixin</c>.
/// Names are variable names, property names, dictionary and JSON keys, form fields, query parameters, headers
/// and cookies, and the keys of <c>key=value</c> pairs found inside text.
/// </summary>
public interface IMaskingRule
{
    /// <summary>Decides whether the value called <paramref name="name"/> must be masked.</summary>
    /// <param name="name">The name as it appears in the application.</param>
    /// <param name="replacement">The text shown instead of the value, when masked.</param>
    /// <returns><see langword="true"/> when the value must be replaced by <paramref name="replacement"/>.</returns>
    bool TryMask(string name, [NotNullWhen(true)] out string? replacement);
}
