namespace ErrorTracking.Records;

/// <summary>A group with its first and latest occurrences: what a detail page shows.</summary>
/// <param name="Record">The group row.</param>
/// <param name="FirstOccurrence">The first occurrence, kept as it was.</param>
/// <param name="LatestOccurrence">The latest occurrence (the first one when there was only one).</param>
public sealed record ErrorRecordDetail(ErrorRecord Record, ErrorEvent FirstOccurrence, ErrorEvent LatestOccurrence);
