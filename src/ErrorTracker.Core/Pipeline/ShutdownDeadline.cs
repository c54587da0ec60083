namespace ErrorTracking.Pipeline;

/// <summary>
/// The one deadline that the host's stop, the tracker's disposal and process exit share: it starts when shutdown
/// starts and each later step only gets what is left of it, so a store that never answers costs
/// <see cref="Configuration.ErrorTrackerOptions.ShutdownTimeout"/> once, not once per step.
/// </summary>
internal sealed class ShutdownDeadline : IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();
    private readonly CancellationTokenSource _clock;
    private readonly CancellationTokenSource? _realTime;
    private readonly CancellationTokenSource _either;

    public ShutdownDeadline(TimeSpan timeout, TimeProvider time)
    {
        _timeout = timeout;
        _clock = new CancellationTokenSource(timeout, time);
        if (time == TimeProvider.System)
        {
            _either = CancellationTokenSource.CreateLinkedTokenSource(_clock.Token);
        }
        else
        {
            // Real time bounds it too: a test clock that never moves must not hold shutdown forever.
            _realTime = new CancellationTokenSource(timeout);
            _either = CancellationTokenSource.CreateLinkedTokenSource(_clock.Token, _realTime.Token);
        }
    }

    /// <summary>Cancelled when the deadline passes, or when <see cref="Expire"/> brings it forward.</summary>
    public CancellationToken Token => _either.Token;

    /// <summary>What is left, in real time; zero once the deadline has passed on either clock.</summary>
    public TimeSpan Left
    {
        get
        {
            var left = _timeout - System.Diagnostics.Stopwatch.GetElapsedTime(_started);
            return Token.IsCancellationRequested || left <= TimeSpan.Zero ? TimeSpan.Zero : left;
        }
    }

    /// <summary>Ends the deadline now: the host's own shutdown limit came first.</summary>
    public void Expire() => _either.Cancel();

    public void Dispose()
    {
        _either.Dispose();
        _realTime?.Dispose();
        _clock.Dispose();
    }
}
