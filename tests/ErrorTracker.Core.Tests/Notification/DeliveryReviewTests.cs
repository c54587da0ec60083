using System.Reflection;
using ErrorTracking.Configuration;
using ErrorTracking.Notification;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Tests.Support;
using ErrorTracking.Ticketing;
using Microsoft.Extensions.Logging;
using ErrorTracking.Testing;
using ErrorTracking.Testing.Storage;

namespace ErrorTracking.Tests.Notification;

/// <summary>Review of the delivery pipeline: each test pins a defect.</summary>
[NonParallelizable]
public sealed class DeliveryReviewTests
{
    private static void Notifying(ErrorTrackerOptions o)
    {
        o.SendNotification = true;
        o.RecipientEmails = ["dev@example.com"];
        o.EmailSender = "errors@example.com";
        o.Fingerprint = e => e.Message;
    }

    // Regression: a notifier that ignores its token holds DisposeAsync (and so Dispose on ProcessExit) forever.
    [Test]
    public async Task a_hung_notifier_does_not_hold_shutdown()
    {
        var gate = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var hung = new DelegateNotifier((_, _) => { started.TrySetResult(); return gate.Task; });
        var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.Notifiers.Add(hung);
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(500);
        });
        try
        {
            ErrorTracker.RecordException(new InvalidOperationException("a"));
            await started.Task.WaitAsync(TimeSpan.FromSeconds(5));

            var dispose = Task.Run(async () => await harness.DisposeAsync());
            var done = await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(8))) == dispose;
            done.Should().BeTrue("shutdown is bounded by ShutdownTimeout (+ a grace), as the writer's is");
        }
        finally
        {
            gate.TrySetResult();
        }
    }

    // Regression: FlushAsync(Timeout.InfiniteTimeSpan) - as ErrorTrackerHostedService.StoppedAsync calls it - gives the
    // delivery flush a zero timeout.
    [Test]
    public async Task an_infinite_flush_waits_for_deliveries()
    {
        var slow = new DelegateNotifier((_, ct) => Task.Delay(300, ct));
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.Notifiers.Clear();
            o.Notifiers.Add(slow);
        });

        ErrorTracker.RecordException(new InvalidOperationException("a"));
        (await ErrorTracker.FlushAsync(Timeout.InfiniteTimeSpan)).Should().BeTrue();
        slow.Calls.Should().Be(1);
    }

    // Regression: a raise succeeded but storing its reference failed: the lane retries the whole Send, raising again.
    [Test]
    public async Task a_ticket_is_not_raised_twice_when_storing_its_reference_fails_once()
    {
        var store = new FailFirstReferenceStore();
        await using var harness = new TrackerHarness(o =>
        {
            o.Store = store;
            o.DeliveryAttempts = 3;
            o.DeliveryRetryDelay = TimeSpan.Zero;
        });

        var hash = ErrorTracker.RecordException(new InvalidOperationException("a"))!;
        await harness.FlushAsync();

        harness.Tickets.Raised.Count.Should().Be(1, "one group, one ticket");
    }

    // Regression: the claim is taken, the lane is full, the delivery is dropped and the claim is never given back:
    // the group never gets its ticket (FirstThenAfterQuietPeriod, fake clock not moving).
    [Test]
    public async Task a_ticket_dropped_by_a_full_lane_gives_its_claim_back()
    {
        var gate = new TaskCompletionSource();
        var tickets = new GatedTicketing(() => gate.Task);
        var logs = new CapturedLogs();
        await using var harness = new TrackerHarness(o =>
        {
            o.LoggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
            o.Ticketing.Clear();
            o.Ticketing.Add(tickets);
            o.Fingerprint = e => e.Message;
        });

        for (var i = 0; i < 1_005; i++)
        {
            ErrorTracker.RecordException(new InvalidOperationException($"g{i}"));
        }

        // The gate stays shut until the full lane has dropped a delivery, however slowly this machine dispatches.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!logs.Entries.Any(e => e.Message.Contains("dropped", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        gate.SetResult();
        var ok = await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(30));
        logs.Entries.Should().Contain(e => e.Message.Contains("dropped"), "a full lane says what it dropped");
        ok.Should().BeTrue("a delivery dropped by a full lane is counted as finished (TryPost returned true: DropWrite)");

        ErrorTracker.RecordException(new InvalidOperationException("g1004"));
        await harness.FlushAsync();
        tickets.RaisedMessages.Should().Contain("g1004", "a group whose ticket was dropped gets one with its next occurrence");
    }

    // Regression: one target given up gave the claim back at once, reading the stored references while another target's
    // new ticket was still on its way; the group then claimed again with its next occurrence, commenting on that ticket
    // within the quiet period and raising the other again.
    [Test]
    public async Task a_target_given_up_keeps_the_claim_when_another_raises_its_ticket_after_that()
    {
        var gate = new TaskCompletionSource();
        var slow = new GatedTicketing(() => gate.Task);
        var logs = new CapturedLogs();
        await using var harness = new TrackerHarness(o =>
        {
            o.Ticketing.Clear();
            o.Ticketing.Add(slow);
            o.Ticketing.Add(new DownTicketing());
            o.DeliveryAttempts = 1;
            o.LoggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        });

        var hash = ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder))!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!logs.Entries.Any(e => e.Message.Contains("gave up delivering to DownTicketing", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        // The other target was given up (its give-back follows the log line at once); only now does the ticket arrive.
        await Task.Delay(100);
        gate.SetResult();
        await harness.FlushAsync();

        var record = (await harness.Store.GetAsync(hash, CancellationToken.None))!.Record;
        (record.TicketRaised, record.TicketReference).Should().Be((true, "{\"gated\":\"T-1\"}"), "the group has its ticket, so it keeps its claim");
    }

    // Regression: IsInsideTracker is documented to cover notifiers and ticketing; lanes are started from the engine's
    // constructor, not from the marked writer flow.
    [Test]
    public async Task notifiers_run_inside_the_tracker()
    {
        bool? inside = null;
        var probe = new DelegateNotifier((_, _) => { inside = ErrorTracker.IsInsideTracker; return Task.CompletedTask; });
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.Notifiers.Add(probe);
        });

        ErrorTracker.RecordException(new InvalidOperationException("a"));
        await harness.FlushAsync();
        inside.Should().BeTrue();
    }

    // Regression: a logger that throws (MEL's Logger rethrows a provider's exception as AggregateException) inside the
    // lane's give-up path kills the lane: it never delivers again, and every later flush returns false.
    [Test]
    public async Task a_throwing_logger_does_not_kill_a_lane()
    {
        var notifier = new DelegateNotifier((n, _) =>
            n.Occurrence.Message == "bad" ? throw new InvalidOperationException("SMTP down") : Task.CompletedTask);
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.Notifiers.Clear();
            o.Notifiers.Add(notifier);
            o.DeliveryAttempts = 1;
            o.LoggerFactory = LoggerFactory.Create(b => b.AddProvider(new ThrowingLoggerProvider()));
        });

        ErrorTracker.RecordException(new InvalidOperationException("bad"));
        await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(2));
        ErrorTracker.RecordException(new InvalidOperationException("good"));

        (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        notifier.Delivered.Should().Contain("good");
    }

    // Regression: deliveries abandoned at shutdown are neither logged nor counted (the writer logs ShutdownLost).
    [Test]
    public async Task deliveries_abandoned_at_shutdown_are_logged()
    {
        var logs = new CapturedLogs();
        var slow = new DelegateNotifier((_, ct) => Task.Delay(TimeSpan.FromSeconds(30), ct));
        var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.Notifiers.Clear();
            o.Notifiers.Add(slow);
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
            o.LoggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        });

        for (var i = 0; i < 3; i++)
        {
            ErrorTracker.RecordException(new InvalidOperationException($"g{i}"));
        }

        await ErrorTracker.FlushAsync(TimeSpan.FromMilliseconds(500));
        await harness.DisposeAsync();

        slow.Delivered.Should().BeEmpty();
        logs.Entries.Should().NotBeEmpty("3 notifications were abandoned at shutdown");
    }

    // Regression: ITicketing.Name throwing makes the engine's constructor throw after it subscribed to AppDomain events;
    // the half-built engine's ProcessExit handler then throws NullReferenceException at process exit.
    [Test]
    public void a_throwing_ticketing_name_leaves_no_half_built_engine_subscribed()
    {
        var act = () => ErrorTracker.Init(o => o.Ticketing.Add(new ThrowingNameTicketing()));
        act.Should().Throw<Exception>();

        var field = typeof(AppContext).GetField("FirstChanceException", BindingFlags.NonPublic | BindingFlags.Static)!;
        var leaked = (((Delegate?)field.GetValue(null))?.GetInvocationList() ?? []).Select(h => h.Target).OfType<ErrorTrackerEngine>().ToList();
        try
        {
            leaked.Should().BeEmpty("a constructor that throws must undo its AppDomain subscriptions");
        }
        finally
        {
            foreach (var engine in leaked)
            {
                // What the runtime does at exit with the leaked ProcessExit handler:
                var onExit = typeof(ErrorTrackerEngine).GetMethod("OnProcessExit", BindingFlags.NonPublic | BindingFlags.Instance)!;
                var thrown = Record.Exception(() => onExit.Invoke(engine, [null, EventArgs.Empty]));
                TestContext.Out.WriteLine($"OnProcessExit on the half-built engine threw: {thrown?.InnerException}");
                Unsubscribe(engine);
            }
        }
    }

    // Regression: DeliveryRetryDelay is only checked for >= 0; the first delay is not clamped to MaxRetryDelay. Past
    // Task.Delay's limit (~49.7 days) the delay throws outside DeliverAsync's try: the lane dies.
    [Test]
    public async Task a_long_retry_delay_does_not_kill_the_lane()
    {
        var notifier = new DelegateNotifier((n, _) =>
            n.Occurrence.Message == "bad" ? throw new InvalidOperationException("SMTP down") : Task.CompletedTask);
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.Notifiers.Clear();
            o.Notifiers.Add(notifier);
            o.TimeProvider = TimeProvider.System;
            o.DeliveryAttempts = 2;
            o.DeliveryRetryDelay = TimeSpan.FromDays(60);
        });

        ErrorTracker.RecordException(new InvalidOperationException("bad"));
        await Task.Delay(500);
        ErrorTracker.RecordException(new InvalidOperationException("good"));
        await Task.Delay(1000);
        var d = typeof(ErrorTrackerEngine).GetField("_delivery", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(ErrorTracker.Current)!;
        var lanes = (System.Collections.IEnumerable)d.GetType().GetMethod("Lanes", BindingFlags.NonPublic | BindingFlags.Instance)!.Invoke(d, null)!;
        foreach (var lane in lanes)
        {
            var loop = (Task)lane.GetType().GetField("_loop", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(lane)!;
            TestContext.Out.WriteLine($"lane loop: {loop.Status} {loop.Exception?.InnerException?.GetType().Name}: {loop.Exception?.InnerException?.Message}");
            loop.IsFaulted.Should().BeFalse("a lane must never die");
        }
    }

    private static void Unsubscribe(ErrorTrackerEngine engine)
    {
        Delegate Of(Type type, string method) =>
            Delegate.CreateDelegate(type, engine, typeof(ErrorTrackerEngine).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Instance)!);
        AppDomain.CurrentDomain.ProcessExit -= (EventHandler)Of(typeof(EventHandler), "OnProcessExit");
        AppDomain.CurrentDomain.UnhandledException -= (UnhandledExceptionEventHandler)Of(typeof(UnhandledExceptionEventHandler), "OnUnhandledException");
        TaskScheduler.UnobservedTaskException -= (EventHandler<UnobservedTaskExceptionEventArgs>)Of(typeof(EventHandler<UnobservedTaskExceptionEventArgs>), "OnUnobservedTaskException");
        AppDomain.CurrentDomain.FirstChanceException -= (EventHandler<System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs>)
            Of(typeof(EventHandler<System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs>), "OnFirstChanceException");
    }

    private static class Record
    {
        public static Exception? Exception(Action action)
        {
            try
            {
                action();
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }
    }

    internal sealed class DelegateNotifier(Func<ErrorNotification, CancellationToken, Task> send) : INotifier
    {
        private readonly List<string> _delivered = [];
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public IReadOnlyList<string> Delivered
        {
            get
            {
                lock (_delivered)
                {
                    return [.. _delivered];
                }
            }
        }

        public async Task NotifyAsync(ErrorNotification notification, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await send(notification, cancellationToken);
            lock (_delivered)
            {
                _delivered.Add(notification.Occurrence.Message);
            }
        }
    }

    private sealed class GatedTicketing(Func<Task> gate) : ITicketing
    {
        private readonly List<string> _raised = [];

        public string Name => "gated";

        public IReadOnlyList<string> RaisedMessages
        {
            get
            {
                lock (_raised)
                {
                    return [.. _raised];
                }
            }
        }

        public async Task<string> RaiseTicketAsync(ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken)
        {
            await gate();
            lock (_raised)
            {
                _raised.Add(occurrence.Message);
                return $"T-{_raised.Count}";
            }
        }

        public Task UpdateTicketAsync(string reference, ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class DownTicketing : ITicketing
    {
        public string Name => "down";

        public Task<string> RaiseTicketAsync(ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken) =>
            throw new HttpRequestException("tracker down");

        public Task UpdateTicketAsync(string reference, ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken) =>
            throw new HttpRequestException("tracker down");
    }

    private sealed class ThrowingNameTicketing : ITicketing
    {
        public string Name => throw new InvalidOperationException("not configured");

        public Task<string> RaiseTicketAsync(ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken) => Task.FromResult("x");

        public Task UpdateTicketAsync(string reference, ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class ThrowingLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger();

        public void Dispose()
        {
        }

        private sealed class Logger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                throw new IOException("disk full");
        }
    }

    private sealed class FailFirstReferenceStore : DelegatingErrorStore
    {
        private int _failed;

        public override Task<bool> UpdateAsync(string hash, ErrorRecordUpdate update, CancellationToken cancellationToken) =>
            update.TicketReference is not null && Interlocked.Exchange(ref _failed, 1) == 0
                ? throw new TimeoutException("database timeout")
                : base.UpdateAsync(hash, update, cancellationToken);
    }
}
