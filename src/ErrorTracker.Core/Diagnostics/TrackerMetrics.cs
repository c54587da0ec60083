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

    public TrackerMetrics(TrackerCounters counters, Func<int> queueLength, Func<long> buffered)
    {
        _meter.CreateObservableCounter("errortracker.recorded", () => counters.Recorded, "{occurrence}", "Occurrences captured and handed to the writer, whatever became of them: recorded = stored + buffered + dropped + lost.");
        _meter.CreateObservableCounter("errortracker.stored", () => counters.Stored, "{occurrence}", "Occurrences written to the store.");
        _meter.CreateObservableCounter("errortracker.dropped", () => counters.Dropped, "{occurrence}", "Occurrences dropped because the queue or the outage buffer was full.");
        _meter.CreateObservableCounter("errortracker.store_failures", () => counters.StoreFailures, "{failure}", "Failed writes to the store.");
        _meter.CreateObservableCounter("errortracker.lost", () => counters.Lost, "{occurrence}", "Occurrences given up on: still unstored when shutdown's time ran out, or refused by the store while it stored others.");
        _meter.CreateObservableGauge("errortracker.queue_length", queueLength, "{occurrence}", "Occurrences in the queue.");
        _meter.CreateObservableGauge("errortracker.buffered", buffered, "{occurrence}", "Occurrences waiting to be stored: queued, in a store call, or merged in memory while the store is unavailable.");
    }

    public void Dispose() => _meter.Dispose();
}
