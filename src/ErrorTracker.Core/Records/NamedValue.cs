namespace ErrorTracking.Records;

/// <summary>A name and its rendered value: a property, a dictionary entry, a collection item or a context key.</summary>
/// <param name="Name">The member name, dictionary key or <c>[index]</c> of a collection item.</param>
/// <param name="Value">The rendered, already masked value.</param>
public sealed record NamedValue(string Name, RecordedValue Value);
