namespace ErrorTracking.Pipeline;

/// <summary>
/// Counts work accepted and finished by a background loop, and lets a flush wait for it: the writer's occurrences
/// and the dispatcher's deliveries are both counted here, so both flushes mean the same thing by "done".
/// </summary>
internal sealed class WorkCounter
{
    private TaskCompletionSource _progress = NewProgress();
    private long _accepted;
    private long _finished;

    /// <summary>Work accepted and not yet finished.</summary>
    public long Pending => Interlocked.Read(ref _accepted) - Interlocked.Read(ref _finished);

    /// <summary>Counts work in, before it is queued, so a flush that starts later always waits for it.</summary>
    public void Accept() => Interlocked.Increment(ref _accepted);

    /// <summary>Counts work out (done, dropped or given up on) and wakes the flushes.</summary>
    public void Finish(long count = 1)
    {
        Interlocked.Add(ref _finished, count);
        Pulse();
    }

    /// <summary>Wakes the flushes without counting anything, for example when the loop has stopped.</summary>
    public void Pulse() => Interlocked.Exchange(ref _progress, NewProgress()).TrySetResult();

    /// <summary>
    /// Waits until the work accepted before the call is finished; with <paramref name="untilIdle"/>, until nothing at
    /// all is pending (for work that queues more work before it counts as finished).
    /// </summary>
    /// <returns><see langword="false"/> on timeout, or when <paramref name="stopped"/> says the loop will finish nothing more.</returns>
    public async Task<bool> WaitAsync(TimeSpan timeout, bool untilIdle, Func<bool> stopped, CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _accepted);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var progress = Volatile.Read(ref _progress).Task;
                var finished = Interlocked.Read(ref _finished);
                if (finished >= target && (!untilIdle || finished >= Interlocked.Read(ref _accepted)))
                {
                    return true;
                }

                if (stopped())
                {
                    return false;
                }

                await progress.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static TaskCompletionSource NewProgress() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
