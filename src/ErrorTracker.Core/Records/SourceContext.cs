namespace ErrorTracking.Records;

/// <summary>Lines of source around a frame's line, read from the file when it exists on the capturing machine.</summary>
/// <param name="FirstLineNumber">The 1-based line number of the first entry of <paramref name="Lines"/>.</param>
/// <param name="Lines">The source lines, the failing one among them.</param>
public sealed record SourceContext(int FirstLineNumber, IReadOnlyList<string> Lines);
