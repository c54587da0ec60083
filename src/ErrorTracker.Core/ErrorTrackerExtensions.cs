using ErrorTracking.Capture;
using ErrorTracking.Decorators;

namespace ErrorTracking;

/// <summary>
/// Upstream's decorators as wrappers: run code, record what it throws, then re-throw it (or swallow it with
/// <c>silent: true</c>). The variables the code closed over (<c>order</c> and <c>quantity</c> in
/// <c>Track(() =&gt; service.Place(order, quantity))</c>, nested scopes' too) and the fields of a captured <c>this</c>
/// are shown under the lambda's frame, labelled <see cref="Records.VariableOrigin.Closure"/> and
/// <see cref="Records.VariableOrigin.Instance"/>; they are read only when the code fails.
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
        Exception? failure = null;
        try
        {
            action();
        }
        catch (Exception exception) when (Failing(tracker, failure = exception, action, silent))
        {
            // Swallowed on request (silent); otherwise the filter let it pass untouched.
        }
        finally
        {
            Left(tracker, failure);
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
        Exception? failure = null;
        try
        {
            return function();
        }
        catch (Exception exception) when (Failing(tracker, failure = exception, function, silent))
        {
            return default;
        }
        finally
        {
            Left(tracker, failure);
        }
    }

    /// <summary>Awaits <paramref name="function"/>, recording an exception it throws.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="function">The code to run.</param>
    /// <param name="silent">Swallow the exception after recording it instead of re-throwing it.</param>
    /// <returns>A task that completes when the code has.</returns>
    public static Task TrackAsync(this IErrorTracker tracker, Func<Task> function, bool silent = false)
    {
        var task = Start(tracker, function, silent);
        return task is null ? Task.CompletedTask
            : task.IsCompletedSuccessfully ? task
            : ObservedTask<bool>.Observe(task, tracker, exception => Failing(tracker, exception, function, silent));
    }

    /// <summary>Awaits <paramref name="function"/>, recording an exception it throws.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="tracker">The tracker.</param>
    /// <param name="function">The code to run.</param>
    /// <param name="silent">Swallow the exception after recording it, returning <see langword="default"/>.</param>
    /// <returns>The result, or <see langword="default"/> when the code threw and <paramref name="silent"/> is set.</returns>
    public static Task<T?> TrackAsync<T>(this IErrorTracker tracker, Func<Task<T>> function, bool silent = false)
    {
        var task = Start(tracker, function, silent);
        return task is null ? Task.FromResult<T?>(default)
            // T? only annotates T: a Task<T> already is a Task<T?> at run time.
            : task.IsCompletedSuccessfully ? (Task<T?>)(object)task
            : ObservedTask<T?>.Observe(task, tracker, exception => Failing(tracker, exception, function, silent));
    }

    // Runs the code up to its first await; a failure later is recorded once whoever awaits the task has seen it
    // (see ObservedTask), so tracked code awaited by other tracked code is one record with every closure.
    private static TTask? Start<TTask>(IErrorTracker tracker, Func<TTask> function, bool silent)
        where TTask : Task
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(function);
        Exception? failure = null;
        try
        {
            return function() ?? throw new InvalidOperationException("The tracked code returned no task.");
        }
        catch (Exception exception) when (Failing(tracker, failure = exception, function, silent))
        {
            return null;
        }
        finally
        {
            Left(tracker, failure);
        }
    }

    // From the filter, while the failing frames are still on the stack: keep what the code closed over. The record is
    // made in the finally, once the filters of every frame up to the catching one (other tracked code, decorated
    // methods) have added theirs.
    private static bool Failing(IErrorTracker tracker, Exception exception, Delegate code, bool silent)
    {
        FailedCall.Keep(tracker, exception, code.Method, () => ClosureReader.Read(code));
        return silent;
    }

    private static void Left(IErrorTracker tracker, Exception? failure) => FailedCall.Record(tracker, failure);
}
