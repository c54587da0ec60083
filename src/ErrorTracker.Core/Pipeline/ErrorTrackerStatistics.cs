namespace ErrorTracking.Pipeline;

/// <summary>A snapshot of what the tracker has done since it started.</summary>
/// <summary>At any moment <c>Recorded = Stored + Buffered + Dropped + Lost</c>.</summary>
/// <param name="Recorded">Occurrences captured and handed to the writer, whatever became of them.</param>
/// <param name="Dropped">Occurrences dropped: the queue was full, or the outage buffer was (its smallest failures go).</param>
/// <param name="Stored">Occurrences written to the store.</param>
/// <param name="StoreFailures">Failed attempts to write to the store.</param>
/// <param name="Lost">Occurrences given up on: still unstored when shutdown's time ran out, or their batch broke the writer.</param>
/// <param name="QueueLength">Occurrences in the queue right now.</param>
/// <param name="Buffered">Occurrences waiting to be stored right now: in the queue, in a store call, or merged by failure in memory while the store is unavailable.</param>
public sealed record ErrorTrackerStatistics(long Recorded, long Dropped, long Stored, long StoreFailures, long Lost, int QueueLength, long Buffered);
