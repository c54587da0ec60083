using System.ComponentModel;
using ErrorTracking.Capture;
using ErrorTracking.Records;

namespace ErrorTracking.Decorators;

/// <summary>
/// What the code generated for <see cref="TrackExceptionsAttribute"/> calls; not meant to be called by hand. A wrapped
/// call passes its arguments to <see cref="Failing"/> from an exception filter, which keeps them without rendering, and
/// calls <see cref="Left"/> from its <c>finally</c>. Filters run, innermost first, for every frame up to the one that
/// catches before any <c>finally</c> runs, so when the innermost wrapped call records the exception every wrapped call
/// it passes has already added its arguments: one record, each method's arguments under its own frame. A call that
/// succeeds does none of this.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TrackedCall
{
    /// <summary>Keeps the arguments of a call the exception is leaving; call it from an exception filter.</summary>
    /// <param name="exception">The exception leaving the call.</param>
    /// <param name="silent">Whether the call swallows the exception.</param>
    /// <param name="declaringType">The type that declares the called method.</param>
    /// <param name="methodName">The called method's name.</param>
    /// <param name="arguments">Its arguments by parameter name, in declaration order; <c>out</c> parameters left out.</param>
    /// <returns><paramref name="silent"/>, so the filter catches only to swallow.</returns>
    public static bool Failing(Exception exception, bool silent, Type declaringType, string methodName,
        params ReadOnlySpan<KeyValuePair<string, object?>> arguments)
    {
        if (exception is not null && ErrorTracker.Current is { } tracker)
        {
            var values = new CallValue[arguments.Length];
            for (var i = 0; i < arguments.Length; i++)
            {
                values[i] = new CallValue(arguments[i].Key, arguments[i].Value, VariableOrigin.Argument);
            }

            FailedCall.Keep(tracker, exception, MethodLookup.Find(declaringType, methodName, arguments), () => values);
        }

        return silent;
    }

    /// <summary>Records the exception with what the wrapped calls kept for it, unless it already is; call it from a <c>finally</c>.</summary>
    /// <param name="exception">The exception that left the call.</param>
    public static void Left(Exception exception) => FailedCall.Record(ErrorTracker.Current, exception);

    /// <summary>
    /// Watches the task a wrapped call returned unfinished: its failure is kept and recorded like a synchronous one,
    /// after the awaiters have added theirs. Call it only when the task has not completed successfully already.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task the call returned.</param>
    /// <param name="silent">Whether a failure completes the returned task with <see langword="default"/> instead.</param>
    /// <param name="declaringType">The type that declares the called method.</param>
    /// <param name="methodName">The called method's name.</param>
    /// <param name="arguments">Its arguments by parameter name.</param>
    /// <returns>A task with the same outcome.</returns>
    public static Task<T> Await<T>(Task<T> task, bool silent, Type declaringType, string methodName, params KeyValuePair<string, object?>[] arguments) =>
        ObservedTask<T>.Observe(task, ErrorTracker.Current, exception => Failing(exception, silent, declaringType, methodName, arguments));

    /// <inheritdoc cref="Await{T}(Task{T}, bool, Type, string, KeyValuePair{string, object}[])"/>
    public static Task Await(Task task, bool silent, Type declaringType, string methodName, params KeyValuePair<string, object?>[] arguments) =>
        ObservedTask<bool>.Observe(task, ErrorTracker.Current, exception => Failing(exception, silent, declaringType, methodName, arguments));

    /// <inheritdoc cref="Await{T}(Task{T}, bool, Type, string, KeyValuePair{string, object}[])"/>
    public static ValueTask<T> Await<T>(ValueTask<T> task, bool silent, Type declaringType, string methodName, params KeyValuePair<string, object?>[] arguments) =>
        task.IsCompletedSuccessfully ? task : new ValueTask<T>(Await(task.AsTask(), silent, declaringType, methodName, arguments));

    /// <inheritdoc cref="Await{T}(Task{T}, bool, Type, string, KeyValuePair{string, object}[])"/>
    public static ValueTask Await(ValueTask task, bool silent, Type declaringType, string methodName, params KeyValuePair<string, object?>[] arguments) =>
        task.IsCompletedSuccessfully ? task : new ValueTask(Await(task.AsTask(), silent, declaringType, methodName, arguments));

    /// <summary>Wraps a sequence whose enumeration runs the method's body, so exceptions thrown while it is enumerated are tracked.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The sequence the method returned.</param>
    /// <param name="silent">Whether an exception ends the sequence instead of propagating.</param>
    /// <param name="declaringType">The type that declares the called method.</param>
    /// <param name="methodName">The called method's name.</param>
    /// <param name="arguments">Its arguments by parameter name.</param>
    /// <returns>The wrapped sequence.</returns>
    public static IAsyncEnumerable<T> Enumerate<T>(IAsyncEnumerable<T> source, bool silent, Type declaringType, string methodName,
        params KeyValuePair<string, object?>[] arguments) =>
        source is null ? source! : new TrackedAsyncEnumerable<T>(source, silent, declaringType, methodName, arguments);
}
