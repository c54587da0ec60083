using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Testing.Storage;

namespace ErrorTracking.Tests.Support;

/// <summary>
/// A real in-memory store whose writes can be held at a gate or made to fail, to drive the pipeline into the
/// states a slow or broken database puts it in.
/// </summary>
internal sealed class ControllableStore : DelegatingErrorStore
{
    private readonly SemaphoreSlim _gate = new(0);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ErrorEvent> _saved = [];
    private int _failuresLeft;
    private int _timeoutsLeft;
    private int _saveCalls;
    private int _failedCalls;

    public bool Held { get; private set; }

    public int SaveCalls => Volatile.Read(ref _saveCalls);

    /// <summary>Writes that failed, whichever fault made them fail.</summary>
    public int FailedCalls => Volatile.Read(ref _failedCalls);

    /// <summary>When above zero, every call whose number (from 1) is a multiple of it fails.</summary>
    public int FailEvery { get; set; }

    /// <summary>While it answers <see langword="true"/>, every write fails, as during an outage measured on some clock.</summary>
    public Func<bool>? DownWhile { get; set; }

    /// <summary>
    /// The next <paramref name="times"/> writes hang until their own command timeout (<paramref name="after"/>) and
    /// then throw <see cref="OperationCanceledException"/>, as a database driver's command timeout does: a
    /// cancellation the writer did not ask for.
    /// </summary>
    public void TimeOutNext(int times, TimeSpan after)
    {
        CommandTimeout = after;
        Volatile.Write(ref _timeoutsLeft, times);
    }

    private TimeSpan CommandTimeout { get; set; }

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

    /// <summary>Every occurrence the store accepted, in order.</summary>
    public IReadOnlyList<ErrorEvent> Saved
    {
        get
        {
            lock (_saved)
            {
                return [.. _saved];
            }
        }
    }

    /// <summary>The largest batch the store was handed.</summary>
    public int LargestBatch { get; private set; }

    public override async Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _saveCalls);
        if (Held)
        {
            _entered.TrySetResult();
            await _gate.WaitAsync(cancellationToken);
        }

        if (Interlocked.Decrement(ref _timeoutsLeft) >= 0)
        {
            Interlocked.Increment(ref _failedCalls);
            using var command = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            command.CancelAfter(CommandTimeout);
            await Task.Delay(Timeout.Infinite, command.Token);
        }

        if (Down || DownWhile?.Invoke() == true || Interlocked.Decrement(ref _failuresLeft) >= 0 || (FailEvery > 0 && call % FailEvery == 0))
        {
            Interlocked.Increment(ref _failedCalls);
            throw new IOException("database is locked");
        }

        LargestBatch = Math.Max(LargestBatch, occurrences.Count);
        lock (_saved)
        {
            _saved.AddRange(occurrences);
        }

        return await base.SaveAsync(occurrences, cancellationToken);
    }
}
