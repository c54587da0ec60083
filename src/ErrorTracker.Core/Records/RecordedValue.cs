namespace ErrorTracking.Records;

/// <summary>
/// A value as it was captured: an immutable, already masked and bounded tree that can be stored,
/// serialized and shown without touching the live object again.
/// </summary>
public sealed record RecordedValue
{
    /// <summary>What this value holds.</summary>
    public required RecordedValueKind Kind { get; init; }

    /// <summary>The runtime type of the value, in C# notation (<c>List&lt;int&gt;</c>); <see langword="null"/> for <see langword="null"/>.</summary>
    public string? TypeName { get; init; }

    /// <summary>The text of a scalar, the mask of a masked value, or the reason for a skipped, truncated or failed one.</summary>
    public string? Text { get; init; }

    /// <summary>Properties, entries or items; empty for values without children.</summary>
    public IReadOnlyList<NamedValue> Children { get; init; } = [];

    /// <summary>How many items or members the live value had, when more were present than were kept.</summary>
    public int? OriginalCount { get; init; }

    /// <summary>A <see langword="null"/> value.</summary>
    public static RecordedValue Null { get; } = new() { Kind = RecordedValueKind.Null };

    /// <summary>A scalar shown as <paramref name="text"/>.</summary>
    /// <param name="text">The rendered text.</param>
    /// <param name="typeName">The value's type name.</param>
    public static RecordedValue Scalar(string text, string? typeName = null) =>
        new() { Kind = RecordedValueKind.Scalar, Text = text, TypeName = typeName };

    /// <summary>A masked value shown as <paramref name="mask"/>.</summary>
    /// <param name="mask">The replacement text.</param>
    public static RecordedValue Masked(string mask) => new() { Kind = RecordedValueKind.Masked, Text = mask };

    /// <summary>Whether the value (or one of its descendants) was shortened because of a limit.</summary>
    public bool IsShortened => OriginalCount is not null || Kind == RecordedValueKind.Truncated;
}
