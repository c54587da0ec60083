using ErrorTracking.Notification;
using ErrorTracking.Context;
using ErrorTracking.Tests.Support;

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
        await using var harness = new TrackerHarness(Notifying);

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
    public async Task No_recipients_means_no_notification()
    {
        await using var harness = new TrackerHarness(o => o.SendNotification = true);

        ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        await harness.FlushAsync();

        harness.Notifier.Received.Should().BeEmpty();
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
    public async Task Tickets_are_raised_for_every_occurrence_or_once()
    {
        await using (var every = new TrackerHarness())
        {
            for (var i = 0; i < 3; i++)
            {
                ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
                await every.FlushAsync();
            }

            every.Tickets.Raised.Select(t => t.Record.Count).Should().Equal(1, 2, 3);
        }

        await using var once = new TrackerHarness(o => o.TicketOnce = true);
        for (var i = 0; i < 3; i++)
        {
            ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
            await once.FlushAsync();
        }

        once.Tickets.Raised.Should().ContainSingle();
        (await once.Store.GetAsync(once.Tickets.Raised[0].Record.Hash, CancellationToken.None))!.Record.TicketRaised.Should().BeTrue();
    }

    [Test]
    public async Task A_failing_notifier_affects_neither_recording_nor_the_other_notifiers()
    {
        await using var harness = new TrackerHarness(o =>
        {
            Notifying(o);
            o.Notifiers.Insert(0, new ThrowingNotifier());
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
