using System.Diagnostics;

namespace ErrorTracking.Decorators;

/// <summary>
/// Watches a wrapped call's unfinished task and hands its outcome on through a task of its own, recording a failure
/// before handing it on, so whoever awaits the call finds it recorded (and a process that ends right after cannot
/// lose it). The price: the exception reaches outer decorated async calls and integrations already recorded, so what
/// they know (their arguments, an endpoint's) is not added. Synchronous callers' arguments are, through their filters.
/// </summary>
[StackTraceHidden]
internal sealed class ObservedTask<T>
{
    private readonly TaskCompletionSource<T> _completion = new();
    private readonly IErrorTracker? _tracker;
    private readonly Func<Exception, bool> _failing;

    private ObservedTask(IErrorTracker? tracker, Func<Exception, bool> failing)
    {
        _tracker = tracker;
        _failing = failing;
    }

    /// <summary>A task that completes as <paramref name="task"/> does.</summary>
    /// <param name="task">The unfinished task of the call.</param>
    /// <param name="tracker">The tracker to record with.</param>
    /// <param name="failing">Keeps the call's values for an exception; returns whether to swallow it.</param>
    public static Task<T> Observe(Task task, IErrorTracker? tracker, Func<Exception, bool> failing)
    {
        var observed = new ObservedTask<T>(tracker, failing);
        task.ContinueWith(
            static (finished, state) => ((ObservedTask<T>)state!).Complete(finished),
            observed,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return observed._completion.Task;
    }

    private void Complete(Task finished)
    {
        Exception? failure = null;
        T result;
        try
        {
            finished.GetAwaiter().GetResult();
            result = finished is Task<T> typed ? typed.Result : default!;
        }
        catch (Exception exception) when (_failing(failure = exception))
        {
            result = default!;
        }
        catch (OperationCanceledException canceled) when (finished.IsCanceled)
        {
            FailedCall.Record(_tracker, failure);
            _completion.SetCanceled(canceled.CancellationToken);
            return;
        }
        catch (Exception exception)
        {
            FailedCall.Record(_tracker, failure);
            _completion.SetException(exception);
            return;
        }

        FailedCall.Record(_tracker, failure);
        _completion.SetResult(result);
    }
}
