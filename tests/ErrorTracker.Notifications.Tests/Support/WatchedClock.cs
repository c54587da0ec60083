using Microsoft.Extensions.Time.Testing;

namespace ErrorTracking.Notifications.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that says when something is waiting on it: the delivery pipeline waits on its
/// clock only for a retry's back-off and for the end of the notification cap's minute. A test waits until such a
/// wait is registered before it moves the clock; moving it earlier would leave the wait behind (its due time is
/// counted from when it is registered).
/// </summary>
internal sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<WatchedTimer> _timers = [];

    /// <summary>The due time of every timer made so far, in order.</summary>
    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (_gate)
            {
                return [.. _timers.Select(t => t.DueTime)];
            }
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new WatchedTimer(dueTime);
        timer.Inner = base.CreateTimer(
            s =>
            {
                timer.Fired = true;
                callback(s);
            },
            state,
            dueTime,
            period);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    /// <summary>
    /// Waits until a timer is pending (made, neither fired nor disposed) and returns its due time, or
    /// <see langword="null"/> when <paramref name="unless"/> completes first.
    /// </summary>
    /// <param name="timeout">How long to wait at most, in real time.</param>
    /// <param name="unless">Stops waiting when it completes.</param>
    /// <returns>The pending timer's due time.</returns>
    /// <exception cref="TimeoutException">Nothing waited on the clock within <paramref name="timeout"/>.</exception>
    public async Task<TimeSpan?> WaitForPendingTimerAsync(TimeSpan timeout, Task? unless = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_gate)
            {
                if (_timers.FirstOrDefault(t => t.Pending) is { } pending)
                {
                    return pending.DueTime;
                }
            }

            if (unless?.IsCompleted == true)
            {
                return null;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Nothing waited on the clock within {timeout}.");
            }

            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    private sealed class WatchedTimer(TimeSpan dueTime) : ITimer
    {
        private volatile bool _fired;
        private volatile bool _disposed;

        public TimeSpan DueTime { get; } = dueTime;

        public ITimer Inner { get; set; } = null!;

        public bool Fired
        {
            get => _fired;
            set => _fired = value;
        }

        public bool Pending => !_fired && !_disposed && DueTime != Timeout.InfiniteTimeSpan;

        public bool Change(TimeSpan dueTime, TimeSpan period) => Inner.Change(dueTime, period);

        public void Dispose()
        {
            _disposed = true;
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            _disposed = true;
            return Inner.DisposeAsync();
        }
    }
}
