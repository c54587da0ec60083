namespace ErrorTracking.Records;

/// <summary>One exception of a recorded chain, with its inner exceptions (every branch of an <see cref="AggregateException"/>).</summary>
public sealed record ExceptionDetail
{
    /// <summary>The full type name, e.g. <c>System.InvalidOperationException</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The message, masked.</summary>
    public required string Message { get; init; }

    /// <summary>Properties of interest declared by the exception type (an HResult, a SqlState, a StatusCode), masked.</summary>
    public IReadOnlyList<NamedValue> Properties { get; init; } = [];

    /// <summary>The entries of <see cref="Exception.Data"/>, masked.</summary>
    public IReadOnlyList<NamedValue> Data { get; init; } = [];

    /// <summary>Frames from the throw point outwards; empty for an exception that was never thrown.</summary>
    public IReadOnlyList<FrameDetail> Frames { get; init; } = [];

    /// <summary>The inner exceptions: one for an ordinary chain, all of them for an <see cref="AggregateException"/>.</summary>
    public IReadOnlyList<ExceptionDetail> InnerExceptions { get; init; } = [];

    /// <summary>This exception and every exception below it, depth first.</summary>
    public IEnumerable<ExceptionDetail> SelfAndDescendants()
    {
        yield return this;
        foreach (var inner in InnerExceptions)
        {
            foreach (var descendant in inner.SelfAndDescendants())
            {
                yield return descendant;
            }
        }
    }
}
