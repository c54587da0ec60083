namespace ErrorTracking.Records;

/// <summary>One frame of an exception's stack, from the throw point outwards.</summary>
public sealed record FrameDetail
{
    /// <summary>The declaring type, with compiler-generated nesting (state machines, closures) removed.</summary>
    public required string DeclaringType { get; init; }

    /// <summary>
    /// The method as the user wrote it: <c>PlaceAsync</c> rather than <c>MoveNext</c>; lambdas and local functions
    /// are named after their containing method (<c>Main.lambda</c>, <c>Main.Validate</c>).
    /// </summary>
    public required string Method { get; init; }

    /// <summary>The method's parameters.</summary>
    public IReadOnlyList<FrameParameter> Parameters { get; init; } = [];

    /// <summary>The source file, when the runtime knows it.</summary>
    public string? File { get; init; }

    /// <summary>The 1-based line, when known.</summary>
    public int? Line { get; init; }

    /// <summary>The 1-based column, when known.</summary>
    public int? Column { get; init; }

    /// <summary>The IL offset within the method, when known.</summary>
    public int? ILOffset { get; init; }

    /// <summary>Whether the frame belongs to the application rather than to the framework or a library.</summary>
    public bool InApp { get; init; }

    /// <summary>Source lines around <see cref="Line"/>, when the file could be read.</summary>
    public SourceContext? Source { get; init; }

    /// <summary>Variables shown under the frame, each labelled with its origin.</summary>
    public IReadOnlyList<CapturedVariable> Variables { get; init; } = [];

    /// <summary>The frame as one line: <c>Shop.OrderService.PlaceAsync(int id)</c>.</summary>
    public string Signature =>
        $"{DeclaringType}.{Method}({string.Join(", ", Parameters.Select(p => $"{p.TypeName} {p.Name}"))})";
}
