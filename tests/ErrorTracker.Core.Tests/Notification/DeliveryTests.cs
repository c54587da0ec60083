using ErrorTracking.Notification;
using ErrorTracking.Context;
using ErrorTracking.Tests.Support;
using Microsoft.Extensions.Logging;
using ErrorTracking.Testing;

namespace ErrorTracking.Tests.Notification;

public sealed class DeliveryTests
{
    private static void Notifying(ErrorTracking.Configuration.ErrorTrackerOptions options)
    {
        options.SendNotification = true;
        options.RecipientEmails = ["dev@example.com"];
        options.EmailSender = "errors@example.com";
        options.SubjectPrefix = "Server Error";
    }

    [Test]
    public async Task Every_occurrence_notifies_as_upstream_does()
    {
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.NotificationPolicy = DeliveryPolicy.EveryOccurrence;
        });

        for (var i = 0; i < 3; i++)
        {
            ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
            await harness.FlushAsync();
            harness.Notifier.Received.Should().HaveCount(i + 1);
        }

        var received = harness.Notifier.Received;
        received.Select(n => n.Record.Count).Should().Equal(1, 2, 3);
        received[0].Sender.Should().Be("errors@example.com");
        received[0].Recipients.Should().Equal("dev@example.com");
        received[0].Subject.Should().Be("[Server Error] System.InvalidOperationException: Order 42 is closed");
        received[0].Body.Should().Contain("Occurrences: 1").And.Contain("at ErrorTracking.Tests.Failures.PlaceOrder()");
        received[0].HtmlBody.Should().Contain("<th align=\"left\">Occurrences</th><td>1</td>").And.Contain("at ErrorTracking.Tests.Failures.PlaceOrder()");
        (await harness.Store.GetAsync(received[0].Record.Hash, CancellationToken.None))!.Record.NotificationSent.Should().BeTrue();
    }

    [Test]
    public async Task The_subject_names_method_and_url_when_there_was_a_request()
    {
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.ContextBuilders.Add(new RequestBuilder());
        });

        ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        await harness.FlushAsync();

        harness.Notifier.Received.Single().Subject.Should()
            .Be("[Server Error] [POST] https://shop.example/orders System.InvalidOperationException: Order 42 is closed");
        harness.Notifier.Received.Single().Body.Should().StartWith("URL: POST https://shop.example/orders");
    }

    [Test]
    public async Task Notification_once_notifies_the_first_occurrence_only()
    {
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.NotificationOnce = true;
        });

        for (var i = 0; i < 3; i++)
        {
            ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        }

        await harness.FlushAsync();
        ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        await harness.FlushAsync();

        harness.Notifier.Received.Should().ContainSingle();
    }

    [Test]
    public async Task Without_recipients_notifiers_that_need_none_still_notify()
    {
        await using var harness = new TrackerHarness(o => o.SendNotification = true);

        ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        await harness.FlushAsync();

        // Upstream's "no recipients, no notification" holds for mail (the SMTP notifier sends nothing without them).
        harness.Notifier.Received.Should().ContainSingle().Which.Recipients.Should().BeEmpty();
    }

    [Test]
    public async Task Notifications_off_means_no_notification()
    {
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.SendNotification = false;
        });

        ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        await harness.FlushAsync();

        harness.Notifier.Received.Should().BeEmpty();
    }

    [Test]
    public async Task A_ticket_is_raised_once_then_updated_for_recurrences_with_its_reference_kept_on_the_group()
    {
        await using (var every = new TrackerHarness(o => o.TicketPolicy = DeliveryPolicy.EveryOccurrence))
        {
            for (var i = 0; i < 3; i++)
            {
                ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
                await every.FlushAsync();
            }

            every.Tickets.Raised.Select(t => t.Record.Count).Should().Equal(1);
            every.Tickets.Updated.Select(u => (u.Reference, u.Record.Count)).Should().Equal(("T-1", 2L), ("T-1", 3L));
            var record = (await every.Store.GetAsync(every.Tickets.Raised[0].Record.Hash, CancellationToken.None))!.Record;
            record.TicketRaised.Should().BeTrue();
            record.TicketReference.Should().Be("{\"collecting\":\"T-1\"}");
        }

        await using var once = new TrackerHarness(o => o.TicketOnce = true);
        for (var i = 0; i < 3; i++)
        {
            ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
            await once.FlushAsync();
        }

        once.Tickets.Raised.Should().ContainSingle();
        once.Tickets.Updated.Should().BeEmpty("TicketOnce never updates");
    }

    [Test]
    public async Task Ticket_once_does_not_update_the_ticket_for_a_regression_either()
    {
        await using var harness = new TrackerHarness(o => o.TicketOnce = true);

        var hash = ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder))!;
        await harness.FlushAsync();
        await harness.Store.UpdateAsync(hash, new ErrorTracking.Storage.ErrorRecordUpdate { Status = ErrorTracking.Records.ErrorStatus.Resolved }, CancellationToken.None);
        ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        await harness.FlushAsync();

        harness.Tickets.Raised.Should().ContainSingle();
        harness.Tickets.Updated.Should().BeEmpty("TicketOnce raises once and never updates");
    }

    [Test]
    public async Task The_default_policy_notifies_a_new_group_a_recurrence_after_the_quiet_period_and_a_regression()
    {
        await using var harness = new TrackerHarness(Notifying);
        async Task OccurAsync()
        {
            ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
            await harness.FlushAsync();
        }

        await OccurAsync();
        await OccurAsync();
        await OccurAsync();
        harness.Notifier.Received.Should().ContainSingle("a new group notifies once, its repeats within the hour do not");

        harness.Clock.Advance(TimeSpan.FromMinutes(59));
        await OccurAsync();
        harness.Notifier.Received.Should().ContainSingle("the hour since the last notification is not over");

        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await OccurAsync();
        harness.Notifier.Received.Should().HaveCount(2, "a recurrence after the quiet period notifies again");
        harness.Notifier.Received[1].Record.Count.Should().Be(5);

        var hash = harness.Notifier.Received[0].Record.Hash;
        await harness.Store.UpdateAsync(hash, new ErrorTracking.Storage.ErrorRecordUpdate { Status = ErrorTracking.Records.ErrorStatus.Resolved }, CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await OccurAsync();
        harness.Notifier.Received.Should().HaveCount(3, "a resolved group that happens again is a regression");
        (await harness.Store.GetAsync(hash, CancellationToken.None))!.Record.LastNotifiedOn.Should().Be(harness.Clock.GetUtcNow());
    }

    [Test]
    public async Task The_first_occurrence_policy_notifies_again_only_after_a_resolve()
    {
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.NotificationPolicy = DeliveryPolicy.FirstOccurrence;
        });

        var hash = ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder))!;
        await harness.FlushAsync();
        harness.Clock.Advance(TimeSpan.FromDays(2));
        ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        await harness.FlushAsync();
        harness.Notifier.Received.Should().ContainSingle();

        await harness.Store.UpdateAsync(hash, new ErrorTracking.Storage.ErrorRecordUpdate { Status = ErrorTracking.Records.ErrorStatus.Resolved }, CancellationToken.None);
        ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        await harness.FlushAsync();
        harness.Notifier.Received.Should().HaveCount(2);
    }

    [Test]
    public async Task Past_the_cap_a_minute_notifications_are_held_back_and_sent_as_one_summary()
    {
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.MaxNotificationsPerMinute = 2;
            o.DashboardUrl = new Uri("https://ops.example/dev/error/");
            // One group per message, so every recording is a new group that wants a notification.
            o.Fingerprint = e => e.Message;
        });

        foreach (var order in new[] { "apple", "banana", "cherry", "damson", "elder" })
        {
            ErrorTracker.RecordException(new InvalidOperationException($"Order {order} is closed"));
        }

        await harness.FlushAsync();
        harness.Notifier.Received.Select(n => n.Occurrence.Message).Should().Equal("Order apple is closed", "Order banana is closed");

        // The flush returned with the cap's timer started, so the minute's end fires it; the summary is then delivered
        // on the notifier's own loop.
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var summary = await WaitForAsync(() => harness.Notifier.Received.Count >= 3 ? harness.Notifier.Received[2] : null);

        summary.HeldBack.Should().Be(3);
        summary.Subject.Should().Be("[Server Error] 3 more error notification(s) held back");
        summary.Body.Should().Contain("Order cherry is closed").And.Contain("Order damson is closed").And.Contain("Order elder is closed")
            .And.Contain("https://ops.example/dev/error/");
        summary.HtmlBody.Should().Contain("Order elder is closed");
        harness.Notifier.Received.Should().HaveCount(3);
    }

    [Test]
    public async Task A_failed_delivery_is_retried_and_one_that_never_succeeds_is_logged_once()
    {
        var logs = new CapturedLogs();
        var flaky = new FlakyNotifier(failures: 2);
        var broken = new FlakyNotifier(failures: int.MaxValue);
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.Notifiers.Add(flaky);
            o.Notifiers.Add(broken);
            o.DeliveryAttempts = 3;
            o.DeliveryRetryDelay = TimeSpan.Zero;
            o.LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(logs));
        });

        ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        await harness.FlushAsync();

        flaky.Attempts.Should().Be(3);
        flaky.Delivered.Should().Be(1);
        broken.Attempts.Should().Be(3, "attempts are bounded");
        harness.Notifier.Received.Should().ContainSingle("one notifier failing touches no other");
        logs.Entries.Select(e => e.Message).Where(l => l.Contains("gave up", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().Contain(nameof(FlakyNotifier)).And.Contain("after 3 attempt(s)").And.NotContain("hunter2");
    }

    [Test]
    public async Task A_ticket_that_could_not_be_raised_is_raised_by_the_next_occurrence()
    {
        await using var harness = new TrackerHarness(o =>
        {
            o.DeliveryAttempts = 2;
            o.DeliveryRetryDelay = TimeSpan.Zero;
        });
        harness.Tickets.FailNextRaises = 2;

        var hash = ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder))!;
        await harness.FlushAsync();
        harness.Tickets.Raised.Should().BeEmpty();
        (await harness.Store.GetAsync(hash, CancellationToken.None))!.Record.TicketRaised.Should().BeFalse("the claim is given back");

        ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        await harness.FlushAsync();
        harness.Tickets.Raised.Should().ContainSingle().Which.Record.Count.Should().Be(2);
    }

    [Test]
    public async Task Notifications_link_to_the_group_on_the_dashboard_and_encode_recorded_markup()
    {
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.DashboardUrl = new Uri("https://ops.example/dev/error");
        });

        var hash = ErrorTracker.RecordException(new InvalidOperationException("<script>alert(1)</script>"));
        await harness.FlushAsync();

        var notification = harness.Notifier.Received.Single();
        notification.DashboardLink.Should().Be(new Uri($"https://ops.example/dev/error/{hash}"));
        notification.Body.Should().Contain($"Dashboard: https://ops.example/dev/error/{hash}");
        notification.HtmlBody.Should().Contain($"<a href=\"https://ops.example/dev/error/{hash}\">")
            .And.Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.NotContain("<script>");
    }

    [Test]
    public async Task A_failing_notifier_affects_neither_recording_nor_the_other_notifiers()
    {
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.Notifiers.Insert(0, new ThrowingNotifier());
            o.DeliveryAttempts = 1;
        });

        var hash = ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        await harness.FlushAsync();

        harness.Notifier.Received.Should().ContainSingle();
        (await harness.DetailAsync(hash)).Record.Count.Should().Be(1);
    }

    [Test]
    public void Subjects_leave_out_absent_parts_and_stay_short()
    {
        var occurrence = Testing.TestEvents.Occurrence("h", message: new string('x', 500));

        var subject = NotificationContent.Subject(prefix: "", occurrence);

        subject.Should().StartWith("System.InvalidOperationException: xxx");
        subject.Should().HaveLength(NotificationContent.MaxSubjectLength).And.EndWith("...");
    }

    // Regression: the dispatcher counted its last job finished before it started the cap's timer, so a flush could
    // return in between, and a clock moved then was measured again from the timer's start: the summary came a minute
    // late. The clock here holds the dispatcher right after it read the time for that timer.
    [Test]
    public async Task A_flush_returns_only_once_the_caps_timer_is_started_so_that_a_clock_moved_after_it_sends_the_summary()
    {
        var clock = new ClockHoldingTheCapsTimer(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var notifier = new CollectingNotifier();
        var store = new ControllableStore();
        store.Hold();
        using (ErrorTracker.Init(o =>
        {
            Notifying(o);
            o.Store = store;
            o.TimeProvider = clock;
            o.Notifiers.Add(notifier);
            o.MaxNotificationsPerMinute = 2;
            o.Fingerprint = e => e.Message;
        }))
        {
            foreach (var order in new[] { "apple", "banana", "cherry", "damson", "elder" })
            {
                ErrorTracker.RecordException(new InvalidOperationException($"Order {order} is closed"));
            }

            // Held at the store, the five reach the dispatcher together: two are sent, three held back by the cap.
            await store.Entered.WaitAsync(TimeSpan.FromSeconds(10));
            clock.HoldNextRead();
            store.Release();
            clock.Reading.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("the dispatcher reads the clock to start the cap's timer");

            (await ErrorTracker.FlushAsync(TimeSpan.FromMilliseconds(500))).Should().BeFalse("the timer has not been started yet");
            clock.LetReadEnd();
            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
            notifier.Received.Should().HaveCount(2);

            clock.Advance(TimeSpan.FromMinutes(1));
            var summary = await WaitForAsync(() => notifier.Received.Count >= 3 ? notifier.Received[2] : null);
            summary.HeldBack.Should().Be(3);
            clock.GetUtcNow().Should().Be(new DateTimeOffset(2026, 3, 1, 12, 1, 0, TimeSpan.Zero), "the summary went out as the minute ended");
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class
    {
        // Long, as it ends as soon as the probe answers: it only bounds a failing run on a loaded machine.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(10);
        }

        throw new AssertionException("waited 30 s in vain");
    }

    /// <summary>A test clock that can hold the dispatcher right after it reads the time to start the cap's timer.</summary>
    private sealed class ClockHoldingTheCapsTimer(DateTimeOffset start) : Microsoft.Extensions.Time.Testing.FakeTimeProvider(start)
    {
        private readonly ManualResetEventSlim _end = new();
        private volatile bool _holding;

        public ManualResetEventSlim Reading { get; } = new();

        public void HoldNextRead() => _holding = true;

        public void LetReadEnd() => _end.Set();

        public override DateTimeOffset GetUtcNow()
        {
            var now = base.GetUtcNow();
            if (_holding && ReadForTheCapsTimer())
            {
                _holding = false;
                Reading.Set();
                _end.Wait(TimeSpan.FromSeconds(30));
            }

            return now;
        }

        // Read by the dispatcher's loop itself as it starts waiting for its next job (not by a job it runs), which starts
        // the timer when notifications are held back; the helper may be inlined into the loop.
        private static bool ReadForTheCapsTimer()
        {
            var reader = new System.Diagnostics.StackTrace().GetFrames().Select(f => f.GetMethod()).FirstOrDefault(m => m?.DeclaringType != typeof(ClockHoldingTheCapsTimer));
            return reader?.Name == "StartWaitingForJob"
                || (reader?.DeclaringType?.DeclaringType == typeof(ErrorTracking.Pipeline.DeliveryDispatcher) && reader.DeclaringType.Name.Contains("RunAsync", StringComparison.Ordinal));
        }
    }

    private sealed class FlakyNotifier(int failures) : INotifier
    {
        private int _attempts;
        private int _delivered;

        public int Attempts => Volatile.Read(ref _attempts);

        public int Delivered => Volatile.Read(ref _delivered);

        public Task NotifyAsync(ErrorNotification notification, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _attempts) <= failures)
            {
                throw new InvalidOperationException("SMTP rejected the login: password=hunter2");
            }

            Interlocked.Increment(ref _delivered);
            return Task.CompletedTask;
        }
    }

    private sealed class ThrowingNotifier : INotifier
    {
        public Task NotifyAsync(ErrorNotification notification, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("SMTP is down");
    }

    private sealed class RequestBuilder : IContextBuilder
    {
        public void Build(CaptureContext context)
        {
            context.Method = "POST";
            context.Path = "/orders";
            context.Host = "shop.example";
            context.Url = "https://shop.example/orders";
        }
    }
}
