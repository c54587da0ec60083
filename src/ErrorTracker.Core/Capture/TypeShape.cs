using System.Reflection;

namespace ErrorTracking.Capture;

/// <summary>How the renderer treats values of one type; worked out once per type.</summary>
internal sealed record TypeShape(TypeShapeKind Kind, string TypeName, string? SkipReason, IReadOnlyList<MemberInfo> Members)
{
    public static TypeShape Of(TypeShapeKind kind, string typeName) => new(kind, typeName, null, []);
}

/// <summary>The rendering strategies.</summary>
internal enum TypeShapeKind
{
    Scalar,
    Text,
    Uri,
    Json,
    Skipped,
    NameValueCollection,
    Dictionary,
    KeyValuePairs,
    Pair,
    Tuple,
    Collection,
    ToStringObject,
    Object,
}
