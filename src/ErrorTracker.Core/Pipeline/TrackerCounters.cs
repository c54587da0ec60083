namespace ErrorTracking.Pipeline;

/// <summary>The tracker's running totals, updated without locks from any thread.</summary>
internal sealed class TrackerCounters
{
    private long _recorded;
    private long _dropped;
    private long _stored;
    private long _storeFailures;
    private long _lost;

    public long Recorded => Interlocked.Read(ref _recorded);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Stored => Interlocked.Read(ref _stored);

    public long StoreFailures => Interlocked.Read(ref _storeFailures);

    public long Lost => Interlocked.Read(ref _lost);

    public void AddRecorded() => Interlocked.Increment(ref _recorded);

    public long AddDropped() => Interlocked.Increment(ref _dropped);

    public void AddStored(long count) => Interlocked.Add(ref _stored, count);

    public void AddStoreFailure() => Interlocked.Increment(ref _storeFailures);

    public void AddLost(long count) => Interlocked.Add(ref _lost, count);
}
