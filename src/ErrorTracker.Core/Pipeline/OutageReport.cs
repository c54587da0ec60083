using ErrorTracking.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Pipeline;

/// <summary>
/// What the log says of a store outage: one warning when it starts, with its cause; a summary at most once a minute
/// while it lasts, with what waits and what was dropped; one line when it ends, with what was stored after it.
/// </summary>
internal sealed class OutageReport(ILogger logger, TimeProvider time, TrackerCounters counters)
{
    private static readonly TimeSpan SummaryInterval = TimeSpan.FromMinutes(1);
    private long _startedAt = -1;
    private long _lastSummaryAt;
    private long _droppedAtStart;
    private long _storedAtStart;

    public bool Ongoing => _startedAt >= 0;

    /// <summary>A store call failed: the start of an outage, or a moment of one already going on.</summary>
    public void Failed(long waiting, int failures, string cause)
    {
        var now = time.GetTimestamp();
        if (!Ongoing)
        {
            _startedAt = _lastSummaryAt = now;
            _droppedAtStart = counters.Dropped;
            _storedAtStart = counters.Stored;
            TrackerLog.StoreFailed(logger, waiting, cause);
            return;
        }

        if (time.GetElapsedTime(_lastSummaryAt, now) >= SummaryInterval)
        {
            _lastSummaryAt = now;
            TrackerLog.StoreStillFailing(logger, time.GetElapsedTime(_startedAt, now), waiting, failures, counters.Dropped - _droppedAtStart, cause);
        }
    }

    /// <summary>Everything that waited is stored: the outage, if there was one, is over.</summary>
    public void Recovered()
    {
        if (!Ongoing)
        {
            return;
        }

        TrackerLog.StoreRecovered(logger, time.GetElapsedTime(_startedAt), counters.Stored - _storedAtStart, counters.Dropped - _droppedAtStart);
        _startedAt = -1;
    }
}
