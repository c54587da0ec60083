namespace ErrorTracking.Pipeline;

/// <summary>A snapshot of what the tracker has done since it started.</summary>
/// <param name="Recorded">Occurrences captured and queued.</param>
/// <param name="Dropped">Occurrences dropped because the queue was full.</param>
/// <param name="Stored">Occurrences written to the store.</param>
/// <param name="StoreFailures">Failed attempts to write a batch to the store.</param>
/// <param name="Lost">Occurrences given up on: the store kept failing, or shutdown came first.</param>
/// <param name="QueueLength">Occurrences waiting for the store right now.</param>
public sealed record ErrorTrackerStatistics(long Recorded, long Dropped, long Stored, long StoreFailures, long Lost, int QueueLength);
