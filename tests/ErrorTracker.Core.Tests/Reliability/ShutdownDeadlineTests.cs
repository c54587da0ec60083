using ErrorTracking.Configuration;
using ErrorTracking.Testing;
using ErrorTracking.Testing.Storage;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Tests.Reliability;

/// <summary>
/// Disposal (the process-exit path) while the store never answers: ShutdownTimeout is counted on the tracker's own
/// clock, once. The timeout is a minute on a fake clock, so a wait of its own on real time would run into the
/// test's real-time guard. The host's stop is covered in the hosting tests (<c>ShutdownBudgetTests</c>).
/// </summary>
public sealed class ShutdownDeadlineTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    [Test]
    public async Task Disposal_during_an_outage_ends_when_the_tracker_s_clock_reaches_the_shutdown_timeout()
    {
        var clock = new TimerWatchingClock(Budget);
        var store = new NeverAnsweringStore();
        var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var tracker = ErrorTrackerEngine.Create(
            new ErrorTrackerOptions { Store = store, TimeProvider = clock, ShutdownTimeout = Budget, CaptureUnhandledExceptions = false, LoggerFactory = loggers },
            services: null);
        tracker.CaptureMessage("while the store hangs");
        await store.Entered.WaitAsync(Guard);
        tracker.CaptureMessage("queued behind it");

        var disposing = Task.Run(tracker.Dispose);
        await clock.TimerMade.WaitAsync(Guard);
        clock.Advance(Budget);
        await disposing.WaitAsync(Guard);
        await tracker.DisposeAsync().AsTask().WaitAsync(Guard);

        logs.Entries.Where(e => e.Message.Contains("not stored within the shutdown timeout", StringComparison.Ordinal))
            .Should().ContainSingle().Which.State.Should().Contain("Count=2");
        tracker.Statistics.Lost.Should().Be(2);
    }
}
