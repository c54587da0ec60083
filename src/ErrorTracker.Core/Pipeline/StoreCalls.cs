using ErrorTracking.Records;
using ErrorTracking.Storage;

namespace ErrorTracking.Pipeline;

/// <summary>How one call to the store ended.</summary>
internal enum StoreOutcome
{
    /// <summary>Stored and handed to delivery.</summary>
    Stored,

    /// <summary>Refused or cancelled at its deadline: what it held must wait.</summary>
    Failed,

    /// <summary>Past its deadline and still running: what it held is settled when it ends.</summary>
    Abandoned,
}

/// <summary>
/// The writer's calls to the store, each within <c>StoreTimeout</c> and off the writer's loop. A call that does
/// not answer in time is cancelled and counts as failed; one that ignores the cancellation too is left running,
/// no other call is made until it ends, and what it held is then stored once or handed back to wait.
/// </summary>
internal sealed class StoreCalls(
    IErrorStore store,
    TimeSpan timeout,
    Action<List<ErrorEvent>, long, IReadOnlyList<ErrorRecord>> stored,
    Action<long, Exception> failed,
    CancellationToken stopping)
{
    private (Task<IReadOnlyList<ErrorRecord>> Save, List<ErrorEvent> Batch, long Occurrences, CancellationTokenSource Deadline)? _abandoned;

    /// <summary>Whether a call that outlived its deadline is still unsettled.</summary>
    public bool HasAbandoned => _abandoned is not null;

    /// <summary>Calls that failed in a row, timeouts aside: a store that refuses rather than one that is slow.</summary>
    public int FailuresInARow { get; private set; }

    public void ResetFailures() => FailuresInARow = 0;

    /// <summary>Stores a batch standing for <paramref name="occurrences"/> occurrences.</summary>
    public async Task<(StoreOutcome Outcome, Exception? Failure)> StoreAsync(List<ErrorEvent> batch, long occurrences)
    {
        Task<IReadOnlyList<ErrorRecord>>? save = null;
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            deadline.CancelAfter(timeout);
        }

        try
        {
            // On the thread pool: a store whose driver waits synchronously (Microsoft.Data.Sqlite retries a locked file
            // until its command timeout) must not hold the writer, which meanwhile keeps the queue flowing.
            save = Task.Run(() => store.SaveAsync(batch, deadline.Token), CancellationToken.None);
            var records = timeout == Timeout.InfiniteTimeSpan
                ? await save.ConfigureAwait(false)
                : await save.WaitAsync(timeout + timeout, stopping).ConfigureAwait(false);
            Stored(batch, occurrences, records);
            FailuresInARow = 0;
            return (StoreOutcome.Stored, null);
        }
        catch (TimeoutException late) when (save is not null)
        {
            _abandoned = (save, batch, occurrences, deadline);
            failed(occurrences, new TimeoutException($"The store did not answer within {timeout.TotalMilliseconds:0} ms, and did not stop when cancelled.", late));
            return (StoreOutcome.Abandoned, late);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            var cause = failure is OperationCanceledException && deadline.IsCancellationRequested
                ? new TimeoutException($"The store did not answer within {timeout.TotalMilliseconds:0} ms.", failure)
                : failure;
            FailuresInARow++;
            failed(occurrences, cause);
            return (StoreOutcome.Failed, cause);
        }
        finally
        {
            if (!ReferenceEquals(_abandoned?.Deadline, deadline))
            {
                deadline.Dispose();
            }
        }
    }

    /// <summary>
    /// Settles a call that outlived its deadline, once it has ended: stored, or its batch handed to
    /// <paramref name="putBack"/>. <see langword="false"/> while it still runs, which counts as a failure of the store.
    /// </summary>
    public async Task<bool> SettleAbandonedAsync(Action<IEnumerable<ErrorEvent>> putBack)
    {
        if (_abandoned is not { } abandoned)
        {
            return true;
        }

        if (!abandoned.Save.IsCompleted)
        {
            failed(0, new TimeoutException("An earlier call to the store has not ended yet."));
            return false;
        }

        _abandoned = null;
        abandoned.Deadline.Dispose();
        try
        {
            Stored(abandoned.Batch, abandoned.Occurrences, await abandoned.Save.ConfigureAwait(false));
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            putBack(abandoned.Batch);
        }

        return true;
    }

    private void Stored(List<ErrorEvent> batch, long occurrences, IReadOnlyList<ErrorRecord>? records)
    {
        if (records is null || records.Count != batch.Count)
        {
            throw new InvalidOperationException(
                $"{store.GetType().Name}.SaveAsync returned {records?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"} records for {batch.Count} occurrences.");
        }

        stored(batch, occurrences, records);
    }
}
