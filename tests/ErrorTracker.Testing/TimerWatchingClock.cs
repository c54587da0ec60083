using Microsoft.Extensions.Time.Testing;

namespace ErrorTracking.Testing;

/// <summary>
/// A fake clock that says when a timer with a given due time is made: a test moves the clock only after that, since
/// a timer made after the move would be counted from the moved time and never fire.
/// </summary>
/// <param name="watched">The due time to watch for.</param>
public sealed class TimerWatchingClock(TimeSpan watched) : FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero))
{
    private readonly TaskCompletionSource _made = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first timer due after the watched time is made.</summary>
    public Task TimerMade => _made.Task;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime == watched)
        {
            _made.TrySetResult();
        }

        return timer;
    }
}
