namespace ErrorTracking.Pipeline;

/// <summary>A snapshot of what the tracker has done since it started.</summary>
/// <param name="Recorded">Occurrences captured and queued.</param>
/// <param name="Dropped">Occurrences dropped because the queue was full.</param>
/// <param name="Stored">Occurrences written to the store.</param>
/// <param name="StoreFailures">Failed attempts to write to the store.</param>
/// <param name="Lost">Occurrences given up on: still unstored when shutdown's time ran out, or their batch broke the writer.</param>
/// <param name="QueueLength">Occurrences in the queue right now.</param>
/// <param name="Buffered">Occurrences waiting in memory for an unavailable store right now, merged by failure.</param>
public sealed record ErrorTrackerStatistics(long Recorded, long Dropped, long Stored, long StoreFailures, long Lost, int QueueLength, long Buffered);
