using ErrorTracking.Records;
using ErrorTracking.Storage;

namespace ErrorTracking.Tests.Support;

/// <summary>
/// A real in-memory store whose writes can be held at a gate or made to fail, to drive the pipeline into the
/// states a slow or broken database puts it in.
/// </summary>
internal sealed class ControllableStore : IErrorStore
{
    private readonly InMemoryErrorStore _inner = new();
    private readonly SemaphoreSlim _gate = new(0);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failuresLeft;
    private int _saveCalls;

    public bool Held { get; private set; }

    public int SaveCalls => Volatile.Read(ref _saveCalls);

    /// <summary>Completes when a write has reached the gate.</summary>
    public Task Entered => _entered.Task;

    public void Hold() => Held = true;

    public void Release()
    {
        Held = false;
        _gate.Release(int.MaxValue / 2);
    }

    public void FailNext(int times) => Volatile.Write(ref _failuresLeft, times);

    /// <summary>While set, every write fails, as when the database is down.</summary>
    public bool Down { get; set; }

    /// <summary>The largest batch the store was handed.</summary>
    public int LargestBatch { get; private set; }

    public async Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _saveCalls);
        if (Held)
        {
            _entered.TrySetResult();
            await _gate.WaitAsync(cancellationToken);
        }

        if (Down || Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new IOException("database is locked");
        }

        LargestBatch = Math.Max(LargestBatch, occurrences.Count);

        return await _inner.SaveAsync(occurrences, cancellationToken);
    }

    public Task<ErrorRecordDetail?> GetAsync(string hash, CancellationToken cancellationToken) => _inner.GetAsync(hash, cancellationToken);

    public Task<IReadOnlyList<ErrorEvent>> ListOccurrencesAsync(string hash, int limit, CancellationToken cancellationToken) =>
        _inner.ListOccurrencesAsync(hash, limit, cancellationToken);

    public Task<IReadOnlyList<DailyCount>> CountByDayAsync(IReadOnlyCollection<string> hashes, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken) =>
        _inner.CountByDayAsync(hashes, firstDay, lastDay, cancellationToken);

    public Task<ErrorPage> ListAsync(ErrorQuery query, CancellationToken cancellationToken) => _inner.ListAsync(query, cancellationToken);

    public Task<bool> UpdateAsync(string hash, ErrorRecordUpdate update, CancellationToken cancellationToken) =>
        _inner.UpdateAsync(hash, update, cancellationToken);

    public Task<bool> TryClaimDeliveryAsync(string hash, DeliveryChannel channel, DateTimeOffset now, TimeSpan? repeatAfter, CancellationToken cancellationToken) =>
        _inner.TryClaimDeliveryAsync(hash, channel, now, repeatAfter, cancellationToken);

    public Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken) => _inner.DeleteAsync(hash, cancellationToken);
}
