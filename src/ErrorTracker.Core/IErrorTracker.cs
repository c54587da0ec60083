using ErrorTracking.Pipeline;
using ErrorTracking.Records;

namespace ErrorTracking;

/// <summary>
/// Records exceptions and messages. Every method captures on the calling thread (stack, variables, context,
/// masking, grouping hash), hands the masked occurrence to a background writer, and returns at once: it never
/// waits for storage and never throws into the application.
/// </summary>
public interface IErrorTracker
{
    /// <summary>Records an exception (upstream's <c>record_exception</c>).</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="variables">
    /// Variables to show under the frame that caught the exception: an anonymous object
    /// (<c>new { orderId, user }</c>), any object, or a dictionary of names and values. Masked like everything else.
    /// </param>
    /// <param name="context">Extra key/values kept with the occurrence.</param>
    /// <returns>The grouping hash, or <see langword="null"/> when the exception was filtered out or could not be captured.</returns>
    string? RecordException(Exception exception, object? variables = null, IReadOnlyDictionary<string, object?>? context = null);

    /// <summary>
    /// Records an exception from an exception filter, while the failing stack is still intact, and returns
    /// <see langword="false"/> so the filter does not catch: <c>catch (Exception ex) when (tracker.Capture(ex, new { a, b }))</c>.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <param name="variables">Variables in scope where the filter is written.</param>
    /// <returns>Always <see langword="false"/>.</returns>
    bool Capture(Exception exception, object? variables = null);

    /// <summary>Records a message that is not an exception (upstream's captured message), grouped by its call site and normalized text.</summary>
    /// <param name="message">The message; secrets in it are masked.</param>
    /// <param name="level">The severity.</param>
    /// <param name="variables">Variables to show under the calling frame.</param>
    /// <param name="context">Extra key/values kept with the occurrence.</param>
    /// <returns>The grouping hash, or <see langword="null"/> when the message could not be captured.</returns>
    string? CaptureMessage(string message, ErrorLevel level = ErrorLevel.Info, object? variables = null,
        IReadOnlyDictionary<string, object?>? context = null);

    /// <summary>
    /// Records a message that stands for an outcome rather than a failure of code, such as an HTTP status an
    /// integration saw answered, grouped by the key given. No stack is read: where it is recorded from neither splits
    /// its group nor shows on it.
    /// </summary>
    /// <param name="message">The message; secrets in it are masked.</param>
    /// <param name="groupingKey">What groups it: equal keys make one group. Only its hash is kept.</param>
    /// <param name="level">The severity.</param>
    /// <param name="context">Extra key/values kept with the occurrence.</param>
    /// <returns>The grouping hash, or <see langword="null"/> when the message could not be captured.</returns>
    string? CaptureGroupedMessage(string message, string groupingKey, ErrorLevel level = ErrorLevel.Info,
        IReadOnlyDictionary<string, object?>? context = null);

    /// <summary>
    /// Starts a scope whose key/values are added to everything recorded inside it, on this async flow. When the
    /// scope is disposed without <see cref="ErrorScope.Complete"/> having been called, the last exception thrown
    /// inside it is recorded, as upstream's scope records on exit.
    /// </summary>
    /// <param name="context">Initial key/values.</param>
    /// <returns>The scope; dispose it to end it.</returns>
    ErrorScope BeginScope(IReadOnlyDictionary<string, object?>? context = null);

    /// <summary>Waits until every occurrence recorded before the call is stored.</summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns><see langword="true"/> when everything was stored in time.</returns>
    Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>What the tracker has done so far.</summary>
    ErrorTrackerStatistics Statistics { get; }
}
