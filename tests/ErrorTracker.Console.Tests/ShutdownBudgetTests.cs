using ErrorTracking.Testing;
using ErrorTracking.Testing.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Hosting.Tests;

/// <summary>
/// Stopping a host while the store never answers (and ignores cancellation) costs the tracker's ShutdownTimeout
/// once, from the start of the stop, plus the documented margin (a second of grace after cancelling the store).
/// The timeout is a minute on a fake clock: only moving that clock can end it in time, so each test would run
/// into its real-time guard if any step waited on its own timeout or on the host's.
/// </summary>
public sealed class ShutdownBudgetTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    [Test]
    public async Task A_host_stopped_during_an_outage_returns_at_the_shutdown_timeout_and_logs_what_was_not_stored_once()
    {
        var clock = new TimerWatchingClock(Budget);
        var store = new NeverAnsweringStore();
        var logs = new CapturedLogs();
        using var host = Build(clock, store, logs, hostLimit: TimeSpan.FromMinutes(5));
        await host.StartAsync();
        var tracker = host.Services.GetRequiredService<IErrorTracker>();
        tracker.CaptureMessage("while the store hangs");
        await store.Entered.WaitAsync(Guard);
        tracker.CaptureMessage("queued behind it");

        var stopping = host.StopAsync();
        await clock.TimerMade.WaitAsync(Guard);
        clock.Advance(Budget);
        await stopping.WaitAsync(Guard);

        NotStored(logs).Should().ContainSingle().Which.State.Should().Contain("Count=2");
    }

    [Test]
    public async Task Disposal_after_a_host_stop_that_ran_out_of_time_does_not_wait_a_second_full_timeout()
    {
        var clock = new TimerWatchingClock(Budget);
        var store = new NeverAnsweringStore();
        var logs = new CapturedLogs();
        var host = Build(clock, store, logs, hostLimit: TimeSpan.FromMilliseconds(100));
        await host.StartAsync();
        host.Services.GetRequiredService<IErrorTracker>().CaptureMessage("while the store hangs");
        await store.Entered.WaitAsync(Guard);

        // The host's own limit comes first: the clock is never moved, and nothing may wait for it.
        await host.StopAsync().WaitAsync(Guard);
        await Task.Run(host.Dispose).WaitAsync(Guard);

        NotStored(logs).Should().ContainSingle().Which.State.Should().Contain("Count=1");
    }

    private static List<CapturedLog> NotStored(CapturedLogs logs) =>
        [.. logs.Entries.Where(e => e.Message.Contains("not stored within the shutdown timeout", StringComparison.Ordinal))];

    private static IHost Build(TimerWatchingClock clock, NeverAnsweringStore store, CapturedLogs logs, TimeSpan hostLimit)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = hostLimit);
        builder.Services.AddErrorTracker(o =>
        {
            o.Store = store;
            o.TimeProvider = clock;
            o.ShutdownTimeout = Budget;
            o.CaptureUnhandledExceptions = false;
        }).AddHostLifetime();
        return builder.Build();
    }
}
