using Microsoft.Extensions.Logging;

namespace ErrorTracking.Diagnostics;

/// <summary>
/// The tracker's own log lines. The tracker never throws into the application; what goes wrong inside it goes
/// here, under categories starting with <c>ErrorTracking</c>, which the logging integration never records.
/// Failures are logged as their type and masked message, never as the exception object: a store's or a
/// notifier's exception may quote the very data that was masked.
/// </summary>
internal static partial class TrackerLog
{
    /// <summary>The category the tracker logs under.</summary>
    public const string Category = ErrorTrackerDiagnostics.LogCategory;

    [LoggerMessage(1, LogLevel.Warning, "ErrorTracker could not capture an exception of type {ExceptionType}; it was not recorded: {Failure}")]
    public static partial void CaptureFailed(ILogger logger, string exceptionType, string failure);

    [LoggerMessage(2, LogLevel.Warning, "ErrorTracker's queue is full (capacity {Capacity}): {Dropped} occurrence(s) dropped so far.")]
    public static partial void QueueFull(ILogger logger, int capacity, long dropped);

    [LoggerMessage(3, LogLevel.Warning, "ErrorTracker could not store {Count} occurrence(s); they wait in memory, merged by failure, and are retried with back-off: {Failure}")]
    public static partial void StoreFailed(ILogger logger, long count, string failure);

    [LoggerMessage(14, LogLevel.Warning, "ErrorTracker's store is still unavailable after {Duration}: {Waiting} occurrence(s) of {Failures} failure(s) wait in memory, {Dropped} dropped so far; last failure: {Failure}")]
    public static partial void StoreStillFailing(ILogger logger, TimeSpan duration, long waiting, int failures, long dropped, string failure);

    [LoggerMessage(15, LogLevel.Information, "ErrorTracker's store is available again after {Duration}: {Stored} occurrence(s) that waited were stored, {Dropped} dropped during the outage.")]
    public static partial void StoreRecovered(ILogger logger, TimeSpan duration, long stored, long dropped);

    [LoggerMessage(16, LogLevel.Error, "ErrorTracker gave up storing {Count} occurrence(s) of group {Hash} ({Failure}): the store refused them {Attempts} times while it stored others, so they are counted as lost.")]
    public static partial void PoisonGivenUp(ILogger logger, long count, string hash, int attempts, string failure);

    [LoggerMessage(17, LogLevel.Warning, "ErrorTracker stored group {Hash} without the details of one occurrence, which the store refused {Attempts} times while it took the group's other one ({Failure}); the group's count is exact.")]
    public static partial void DetailsGivenUp(ILogger logger, string hash, int attempts, string failure);

    [LoggerMessage(5, LogLevel.Warning, "ErrorTracker gave up delivering to {Target} for group {Hash} after {Attempts} attempt(s): {Failure}")]
    public static partial void DeliveryGivenUp(ILogger logger, string target, string hash, int attempts, string failure);

    [LoggerMessage(13, LogLevel.Warning, "ErrorTracker gave up delivering to {Target} for group {Hash} after {Attempts} attempt(s), without retrying: it was refused, and another attempt would be refused again: {Failure}")]
    public static partial void DeliveryRefused(ILogger logger, string target, string hash, int attempts, string failure);

    [LoggerMessage(6, LogLevel.Warning, "ErrorTracker's delivery queue for {Target} is full: a delivery for group {Hash} was dropped.")]
    public static partial void DeliveryDropped(ILogger logger, string target, string hash);

    [LoggerMessage(7, LogLevel.Warning, "ErrorTracker context builder {Builder} failed; the occurrence is recorded without its context: {Failure}")]
    public static partial void ContextBuilderFailed(ILogger logger, string builder, string failure);

    [LoggerMessage(8, LogLevel.Warning, "ErrorTracker's custom fingerprint failed; the default grouping was used: {Failure}")]
    public static partial void FingerprintFailed(ILogger logger, string failure);

    [LoggerMessage(9, LogLevel.Error, "ErrorTracker stopped with {Count} occurrence(s) not stored within the shutdown timeout of {Timeout}.")]
    public static partial void ShutdownLost(ILogger logger, long count, TimeSpan timeout);

    [LoggerMessage(10, LogLevel.Warning, "ErrorTracker could not update group {Hash} after delivering it: {Failure}")]
    public static partial void UpdateFailed(ILogger logger, string hash, string failure);

    [LoggerMessage(11, LogLevel.Error, "ErrorTracker's writer failed on a batch of {Count} occurrence(s), which are lost: {Failure}")]
    public static partial void WriterFailed(ILogger logger, int count, string failure);

    [LoggerMessage(12, LogLevel.Information, "ErrorTracker reached its cap of {Cap} notifications a minute; the rest of the minute's go out as one summary.")]
    public static partial void NotificationCapReached(ILogger logger, int cap);
}
