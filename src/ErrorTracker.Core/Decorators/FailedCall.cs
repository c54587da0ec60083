using System.Reflection;
using ErrorTracking.Capture;

namespace ErrorTracking.Decorators;

/// <summary>
/// The two halves every wrapper shares (generated interceptors, tracked lambdas, tracking proxies): keep the call's
/// values from the exception filter, record from the <c>finally</c>. Neither ever throws into the application.
/// </summary>
internal static class FailedCall
{
    /// <summary>Keeps what the failing call ran with; rendered only if and when the exception is recorded.</summary>
    public static void Keep(IErrorTracker? tracker, Exception exception, MethodBase? method, Func<CallValue[]> values)
    {
        if (tracker is not ErrorTrackerEngine engine || method is null)
        {
            return;
        }

        try
        {
            engine.AddFailedCall(new MethodArguments(exception, method, values()));
        }
        catch (Exception)
        {
            // An exception filter that throws counts as false; recording must not change what the call does.
        }
    }

    /// <summary>Records the exception once, with what the wrapped calls it passed kept for it.</summary>
    public static void Record(IErrorTracker? tracker, Exception? exception)
    {
        if (exception is null || tracker is null)
        {
            return;
        }

        if (tracker is ErrorTrackerEngine engine)
        {
            engine.RecordFailedCall(exception);
            return;
        }

        try
        {
            tracker.RecordException(exception);
        }
        catch (Exception)
        {
            // A custom tracker that throws must not replace the application's exception.
        }
    }
}
