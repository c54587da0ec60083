using ErrorTracking.Pipeline;
using ErrorTracking.Records;

namespace ErrorTracking;

/// <summary>Stands in before any tracker is set up, so the facade's <c>Track</c> methods still run the user's code.</summary>
internal sealed class DisabledErrorTracker : IErrorTracker
{
    public static DisabledErrorTracker Instance { get; } = new();

    public ErrorTrackerStatistics Statistics { get; } = new(0, 0, 0, 0, 0, 0, 0);

    public string? RecordException(Exception exception, object? variables = null, IReadOnlyDictionary<string, object?>? context = null) => null;

    public bool Capture(Exception exception, object? variables = null) => false;

    public string? CaptureMessage(string message, ErrorLevel level = ErrorLevel.Info, object? variables = null,
        IReadOnlyDictionary<string, object?>? context = null) => null;

    public string? CaptureGroupedMessage(string message, string groupingKey, ErrorLevel level = ErrorLevel.Info,
        IReadOnlyDictionary<string, object?>? context = null) => null;

    public ErrorScope BeginScope(IReadOnlyDictionary<string, object?>? context = null) => new(parent: null, context, onDispose: null);

    public Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => Task.FromResult(true);
}
