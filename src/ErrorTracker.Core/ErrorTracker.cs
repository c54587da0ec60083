using ErrorTracking.Configuration;
using ErrorTracking.Pipeline;
using ErrorTracking.Records;

namespace ErrorTracking;

/// <summary>
/// The static entry point, for code without a service container: <c>ErrorTracker.RecordException(ex)</c>.
/// It forwards to the current <see cref="IErrorTracker"/>: the one <see cref="Init"/> created, or the one a
/// service provider built from <c>AddErrorTracker</c>. Before either, recording does nothing and returns
/// <see langword="null"/>, and <c>Track</c> just runs the code.
/// </summary>
public static class ErrorTracker
{
    private static IErrorTracker? s_current;
    private static readonly AsyncLocal<bool> s_insideTracker = new();

    /// <summary>The tracker the facade forwards to, or <see langword="null"/> when none is set up.</summary>
    public static IErrorTracker? Current => Volatile.Read(ref s_current);

    /// <summary>Sets up a tracker without a service container, replacing any current one.</summary>
    /// <param name="configure">Sets the options; the defaults keep records in memory.</param>
    /// <returns>A handle that stores what is pending and detaches the tracker when disposed.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; the message names every wrong key.</exception>
    public static IDisposable Init(Action<ErrorTrackerOptions>? configure = null)
    {
        var options = new ErrorTrackerOptions();
        configure?.Invoke(options);
        var tracker = ErrorTrackerEngine.Create(options, services: null);
        Attach(tracker);
        return tracker;
    }

    /// <inheritdoc cref="IErrorTracker.RecordException"/>
    public static string? RecordException(Exception exception, object? variables = null, IReadOnlyDictionary<string, object?>? context = null) =>
        Current?.RecordException(exception, variables, context);

    /// <inheritdoc cref="IErrorTracker.Capture"/>
    public static bool Capture(Exception exception, object? variables = null) => Current?.Capture(exception, variables) ?? false;

    /// <inheritdoc cref="IErrorTracker.CaptureMessage"/>
    public static string? CaptureMessage(string message, ErrorLevel level = ErrorLevel.Info, object? variables = null,
        IReadOnlyDictionary<string, object?>? context = null) =>
        Current?.CaptureMessage(message, level, variables, context);

    /// <inheritdoc cref="IErrorTracker.CaptureGroupedMessage"/>
    public static string? CaptureGroupedMessage(string message, string groupingKey, ErrorLevel level = ErrorLevel.Info,
        IReadOnlyDictionary<string, object?>? context = null) =>
        Current?.CaptureGroupedMessage(message, groupingKey, level, context);

    /// <inheritdoc cref="IErrorTracker.BeginScope"/>
    public static ErrorScope BeginScope(IReadOnlyDictionary<string, object?>? context = null) =>
        Current?.BeginScope(context) ?? new ErrorScope(parent: null, context, onDispose: null);

    /// <inheritdoc cref="ErrorTrackerExtensions.Track(IErrorTracker, Action, bool)"/>
    public static void Track(Action action, bool silent = false) => Tracker.Track(action, silent);

    /// <inheritdoc cref="ErrorTrackerExtensions.Track{T}(IErrorTracker, Func{T}, bool)"/>
    public static T? Track<T>(Func<T> function, bool silent = false) => Tracker.Track(function, silent);

    /// <inheritdoc cref="ErrorTrackerExtensions.TrackAsync(IErrorTracker, Func{Task}, bool)"/>
    public static Task TrackAsync(Func<Task> function, bool silent = false) => Tracker.TrackAsync(function, silent);

    /// <inheritdoc cref="ErrorTrackerExtensions.TrackAsync{T}(IErrorTracker, Func{Task{T}}, bool)"/>
    public static Task<T?> TrackAsync<T>(Func<Task<T>> function, bool silent = false) => Tracker.TrackAsync(function, silent);

    /// <inheritdoc cref="IErrorTracker.FlushAsync"/>
    public static Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Current?.FlushAsync(timeout, cancellationToken) ?? Task.FromResult(true);

    /// <summary>What the current tracker has done so far, or <see langword="null"/> when none is set up.</summary>
    public static ErrorTrackerStatistics? Statistics => Current?.Statistics;

    /// <summary>
    /// Whether the calling code runs on the tracker's own behalf (its background writer, its stores, notifiers and
    /// ticketing). Integrations that turn other events into recordings (the logging provider) skip those, so an
    /// unavailable database whose driver logs errors cannot feed the tracker with its own failures.
    /// </summary>
    public static bool IsInsideTracker => s_insideTracker.Value;

    private static IErrorTracker Tracker => Current ?? DisabledErrorTracker.Instance;

    /// <summary>Marks the current async flow, and everything it starts, as the tracker's own.</summary>
    internal static void MarkInsideTracker() => s_insideTracker.Value = true;

    internal static void Attach(IErrorTracker tracker) => Volatile.Write(ref s_current, tracker);

    internal static void Detach(IErrorTracker tracker) => Interlocked.CompareExchange(ref s_current, null, tracker);
}
