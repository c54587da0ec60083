namespace ErrorTracking;

/// <summary>
/// Upstream's decorators as wrappers: run code, record what it throws, then re-throw it (or swallow it with
/// <c>silent: true</c>). The exception is recorded from a filter, before the stack unwinds.
/// </summary>
public static class ErrorTrackerExtensions
{
    /// <summary>Runs <paramref name="action"/>, recording an exception it throws.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="action">The code to run.</param>
    /// <param name="silent">Swallow the exception after recording it instead of re-throwing it.</param>
    public static void Track(this IErrorTracker tracker, Action action, bool silent = false)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            action();
        }
        catch (Exception exception) when (tracker.Capture(exception) || silent)
        {
            // Swallowed on request (silent); otherwise the filter let it pass untouched.
        }
    }

    /// <summary>Runs <paramref name="function"/>, recording an exception it throws.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="tracker">The tracker.</param>
    /// <param name="function">The code to run.</param>
    /// <param name="silent">Swallow the exception after recording it, returning <see langword="default"/>.</param>
    /// <returns>The function's result, or <see langword="default"/> when it threw and <paramref name="silent"/> is set.</returns>
    public static T? Track<T>(this IErrorTracker tracker, Func<T> function, bool silent = false)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(function);
        try
        {
            return function();
        }
        catch (Exception exception) when (tracker.Capture(exception) || silent)
        {
            return default;
        }
    }

    /// <summary>Awaits <paramref name="function"/>, recording an exception it throws.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="function">The code to run.</param>
    /// <param name="silent">Swallow the exception after recording it instead of re-throwing it.</param>
    /// <returns>A task that completes when the code has.</returns>
    public static async Task TrackAsync(this IErrorTracker tracker, Func<Task> function, bool silent = false)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(function);
        try
        {
            await function().ConfigureAwait(false);
        }
        catch (Exception exception) when (tracker.Capture(exception) || silent)
        {
            // Swallowed on request (silent).
        }
    }

    /// <summary>Awaits <paramref name="function"/>, recording an exception it throws.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="tracker">The tracker.</param>
    /// <param name="function">The code to run.</param>
    /// <param name="silent">Swallow the exception after recording it, returning <see langword="default"/>.</param>
    /// <returns>The result, or <see langword="default"/> when the code threw and <paramref name="silent"/> is set.</returns>
    public static async Task<T?> TrackAsync<T>(this IErrorTracker tracker, Func<Task<T>> function, bool silent = false)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(function);
        try
        {
            return await function().ConfigureAwait(false);
        }
        catch (Exception exception) when (tracker.Capture(exception) || silent)
        {
            return default;
        }
    }
}
