namespace ErrorTracking.Capture;

/// <summary>The bounds a value rendering keeps to.</summary>
/// <param name="MaxStringLength">Characters kept of a string before it is cut with "...".</param>
/// <param name="MaxCollectionItems">Items kept of a collection, and members of an object.</param>
/// <param name="MaxDepth">Levels of nesting walked.</param>
/// <param name="MaxNodes">Values rendered in all for one variable, so one huge graph cannot make a capture slow.</param>
internal sealed record CaptureLimits(int MaxStringLength, int MaxCollectionItems, int MaxDepth, int MaxNodes);
