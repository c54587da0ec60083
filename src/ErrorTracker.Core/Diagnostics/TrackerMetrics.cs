using System.Diagnostics.Metrics;
using ErrorTracking.Pipeline;

namespace ErrorTracking.Diagnostics;

/// <summary>
/// The tracker's counters as System.Diagnostics.Metrics instruments under the meter <c>ErrorTracker</c>, so
/// dotnet-counters and OpenTelemetry see what is recorded, stored, dropped and waiting.
/// </summary>
internal sealed class TrackerMetrics : IDisposable
{
    private readonly Meter _meter = new(ErrorTrackerDiagnostics.MeterName);

    public TrackerMetrics(TrackerCounters counters, Func<int> queueLength)
    {
        _meter.CreateObservableCounter("errortracker.recorded", () => counters.Recorded, "{occurrence}", "Occurrences captured and queued.");
        _meter.CreateObservableCounter("errortracker.stored", () => counters.Stored, "{occurrence}", "Occurrences written to the store.");
        _meter.CreateObservableCounter("errortracker.dropped", () => counters.Dropped, "{occurrence}", "Occurrences dropped because the queue or the outage buffer was full.");
        _meter.CreateObservableCounter("errortracker.store_failures", () => counters.StoreFailures, "{failure}", "Failed writes to the store.");
        _meter.CreateObservableCounter("errortracker.lost", () => counters.Lost, "{occurrence}", "Occurrences still unstored when shutdown's time ran out.");
        _meter.CreateObservableGauge("errortracker.queue_length", queueLength, "{occurrence}", "Occurrences in the queue.");
        _meter.CreateObservableGauge("errortracker.buffered", () => counters.Buffered, "{occurrence}", "Occurrences waiting for an unavailable store.");
    }

    public void Dispose() => _meter.Dispose();
}
