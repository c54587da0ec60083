namespace ErrorTracking.Storage;

/// <summary>How many occurrences a group had on one UTC day: a point of the dashboard's charts.</summary>
/// <param name="Hash">The group's hash.</param>
/// <param name="Day">The UTC day.</param>
/// <param name="Count">Occurrences captured that day.</param>
public sealed record DailyCount(string Hash, DateOnly Day, long Count);
