using System.Runtime.CompilerServices;
using ErrorTracking.Context;
using ErrorTracking.Records;
using ErrorTracking.Tests.Support;

namespace ErrorTracking.Tests;

public sealed class ErrorTrackerTests
{
    [Test]
    public async Task Recording_an_exception_stores_a_group_under_a_sha256_hash()
    {
        await using var harness = new TrackerHarness();

        var hash = ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));

        hash.Should().MatchRegex("^[0-9a-f]{64}$");
        var detail = await harness.DetailAsync(hash);
        detail.Record.ExceptionName.Should().Be("System.InvalidOperationException");
        detail.Record.Message.Should().Be("Order 42 is closed");
        detail.Record.Count.Should().Be(1);
        detail.FirstOccurrence.Application.Should().NotBeNullOrEmpty();
        detail.FirstOccurrence.Environment.ProcessId.Should().Be(Environment.ProcessId);
    }

    [Test]
    public async Task Without_a_request_host_path_and_method_are_empty_strings()
    {
        await using var harness = new TrackerHarness();

        var detail = await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder)));

        detail.Record.Host.Should().BeEmpty();
        detail.Record.Path.Should().BeEmpty();
        detail.Record.Method.Should().BeEmpty();
        detail.FirstOccurrence.Url.Should().BeNull();
    }

    [Test]
    public async Task The_same_failure_three_times_is_one_group_counted_three_times()
    {
        await using var harness = new TrackerHarness();
        var created = harness.Clock.GetUtcNow();

        var hashes = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            hashes.Add(ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder)));
            await harness.FlushAsync();
            harness.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        hashes.Distinct().Should().ContainSingle();
        var detail = await harness.DetailAsync(hashes[0]);
        detail.Record.Count.Should().Be(3);
        detail.Record.CreatedOn.Should().Be(created);
        detail.Record.LastSeen.Should().Be(created.AddMinutes(10));
        (await harness.AllAsync()).Should().ContainSingle();
    }

    [Test]
    public async Task The_same_exception_object_is_recorded_once()
    {
        await using var harness = new TrackerHarness();
        var exception = Failures.Catch(Failures.PlaceOrder);

        var first = ErrorTracker.RecordException(exception);
        var second = ErrorTracker.RecordException(exception);

        second.Should().Be(first);
        (await harness.DetailAsync(first)).Record.Count.Should().Be(1);
    }

    [Test]
    public async Task Track_records_and_rethrows_the_original_exception()
    {
        await using var harness = new TrackerHarness();

        var thrown = FluentActions.Invoking(() => ErrorTracker.Track(Failures.PlaceOrder)).Should().Throw<InvalidOperationException>().Which;

        thrown.StackTrace.Should().Contain(nameof(Failures.PlaceOrder));
        var records = await harness.AllAsync();
        records.Should().ContainSingle().Which.ExceptionName.Should().Be("System.InvalidOperationException");
    }

    [Test]
    public async Task Track_with_silent_records_and_swallows()
    {
        await using var harness = new TrackerHarness();

        ErrorTracker.Track(Failures.PlaceOrder, silent: true);
        var value = ErrorTracker.Track<int>(() => throw new ArgumentException("bad"), silent: true);
        await ErrorTracker.TrackAsync(Failures.PlaceOrderAsync, silent: true);
        var asyncValue = await ErrorTracker.TrackAsync<string>(async () =>
        {
            await Task.Yield();
            throw new TimeoutException("slow");
        }, silent: true);

        value.Should().Be(0);
        asyncValue.Should().BeNull();
        (await harness.AllAsync()).Select(r => r.ExceptionName).Should().BeEquivalentTo(
            "System.InvalidOperationException", "System.ArgumentException", "System.FormatException", "System.TimeoutException");
    }

    [Test]
    public async Task TrackAsync_records_and_rethrows()
    {
        await using var harness = new TrackerHarness();

        await FluentActions.Awaiting(() => ErrorTracker.TrackAsync(Failures.PlaceOrderAsync)).Should().ThrowAsync<FormatException>();
        await FluentActions.Awaiting(() => ErrorTracker.TrackAsync<int>(async () =>
        {
            await Task.Yield();
            throw new TimeoutException("slow");
        })).Should().ThrowAsync<TimeoutException>();

        (await harness.AllAsync()).Should().HaveCount(2);
    }

    [Test]
    public async Task Track_returns_the_result_when_nothing_fails()
    {
        await using var harness = new TrackerHarness();

        ErrorTracker.Track(() => 41 + 1).Should().Be(42);
        (await ErrorTracker.TrackAsync(() => Task.FromResult("ok"))).Should().Be("ok");

        (await harness.AllAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task Capture_in_an_exception_filter_records_the_variables_and_does_not_catch()
    {
        await using var harness = new TrackerHarness();
        var quantity = 3;
        var password = "hunter2";

        var caught = false;
        try
        {
            try
            {
                Failures.PlaceOrder();
            }
            catch (Exception ex) when (ErrorTracker.Capture(ex, new { quantity, password }))
            {
                caught = true;
            }
        }
        catch (InvalidOperationException)
        {
            // The filter returned false, so the exception passed on to here.
        }

        caught.Should().BeFalse();
        var records = await harness.AllAsync();
        var detail = await harness.DetailAsync(records.Single().Hash);
        var catchingFrame = detail.FirstOccurrence.Exception.Frames[^1];
        catchingFrame.Method.Should().Be(nameof(Capture_in_an_exception_filter_records_the_variables_and_does_not_catch));
        catchingFrame.Variables.Where(v => v.Origin == VariableOrigin.ExceptionFilter).Select(v => (v.Name, v.Value.Text))
            .Should().Equal(("quantity", "3"), ("password", "**************"));
    }

    [Test]
    public async Task Explicit_variables_are_shown_under_the_catching_frame()
    {
        await using var harness = new TrackerHarness();
        var orderId = 17;

        string? hash;
        try
        {
            Failures.PlaceOrder();
            hash = null;
        }
        catch (Exception ex)
        {
            hash = ErrorTracker.RecordException(ex, new { orderId });
        }

        var frames = (await harness.DetailAsync(hash)).FirstOccurrence.Exception.Frames;
        frames[0].Method.Should().Be(nameof(Failures.PlaceOrder));
        frames[^1].Variables.Should().ContainSingle(v => v.Origin == VariableOrigin.Explicit)
            .Which.Should().Be(new CapturedVariable("orderId", RecordedValue.Scalar("17", "int"), VariableOrigin.Explicit));
    }

    [Test]
    public async Task A_captured_message_is_grouped_by_call_site_and_text()
    {
        await using var harness = new TrackerHarness();

        var first = ErrorTracker.CaptureMessage("Cache warmed in 120 ms", context: new Dictionary<string, object?> { ["region"] = "eu" });
        var again = ErrorTracker.CaptureMessage("Cache warmed in 95 ms");
        var other = ErrorTracker.CaptureMessage("Cache is cold");

        again.Should().Be(first, "numbers in a message do not split a group");
        other.Should().NotBe(first);
        var detail = await harness.DetailAsync(first);
        detail.Record.ExceptionName.Should().Be("Message");
        detail.FirstOccurrence.Level.Should().Be(ErrorLevel.Info);
        detail.FirstOccurrence.Context.Should().ContainSingle(c => c.Name == "region").Which.Value.Text.Should().Be("eu");
        detail.FirstOccurrence.Exception.Frames[0].Method.Should().Be(nameof(A_captured_message_is_grouped_by_call_site_and_text));
        detail.Record.Count.Should().Be(2);
    }

    [Test]
    public async Task A_scope_adds_its_values_to_what_is_recorded_inside_it()
    {
        await using var harness = new TrackerHarness();

        string? hash;
        using (var outer = ErrorTracker.BeginScope(new Dictionary<string, object?> { ["tenant"] = "acme", ["step"] = "outer" }))
        {
            using var inner = ErrorTracker.BeginScope().Set("step", "inner").Set("session_id", "abc");
            hash = ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
            inner.Complete();
            outer.Complete();
        }

        var outside = ErrorTracker.CaptureMessage("after the scope");

        var context = (await harness.DetailAsync(hash)).FirstOccurrence.Context.ToDictionary(c => c.Name, c => c.Value.Text);
        context.Should().Equal(new Dictionary<string, string?> { ["tenant"] = "acme", ["step"] = "inner", ["session_id"] = "**************" });
        (await harness.DetailAsync(outside)).FirstOccurrence.Context.Should().BeEmpty();
    }

    [Test]
    public async Task A_scope_left_by_an_exception_records_it_on_exit()
    {
        await using var harness = new TrackerHarness();

        FluentActions.Invoking(() =>
        {
            using var scope = ErrorTracker.BeginScope().Set("job", "nightly");
            Failures.PlaceOrder();
            scope.Complete();
        }).Should().Throw<InvalidOperationException>();

        var record = (await harness.AllAsync()).Should().ContainSingle().Which;
        var detail = await harness.DetailAsync(record.Hash);
        detail.FirstOccurrence.Context.Should().ContainSingle(c => c.Name == "job");
        detail.Record.ExceptionName.Should().Be("System.InvalidOperationException");
    }

    [Test]
    public async Task A_completed_scope_records_nothing_on_exit()
    {
        await using var harness = new TrackerHarness();

        using (var scope = ErrorTracker.BeginScope())
        {
            try
            {
                Failures.PlaceOrder();
            }
            catch (InvalidOperationException)
            {
                // handled by the application
            }

            scope.Complete();
        }

        (await harness.AllAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task An_exception_filter_can_decline_recording()
    {
        await using var harness = new TrackerHarness(o => o.ShouldRecord = ex => ex is not OperationCanceledException);

        ErrorTracker.RecordException(new OperationCanceledException()).Should().BeNull();
        ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder)).Should().NotBeNull();

        (await harness.AllAsync()).Should().ContainSingle();
    }

    [Test]
    public void Before_init_recording_does_nothing_and_track_still_runs_the_code()
    {
        ErrorTracker.Current.Should().BeNull();

        ErrorTracker.RecordException(new InvalidOperationException()).Should().BeNull();
        ErrorTracker.CaptureMessage("nothing").Should().BeNull();
        ErrorTracker.Track(() => 5).Should().Be(5);
        FluentActions.Invoking(() => ErrorTracker.Track(Failures.PlaceOrder)).Should().Throw<InvalidOperationException>();
        ErrorTracker.Track(Failures.PlaceOrder, silent: true);
        ErrorTracker.Statistics.Should().BeNull();
    }

    [Test]
    public async Task Disposing_the_init_handle_stores_what_is_pending_and_detaches()
    {
        var harness = new TrackerHarness();
        for (var i = 0; i < 50; i++)
        {
            ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        }

        await harness.DisposeAsync();

        ErrorTracker.Current.Should().BeNull();
        var page = await harness.Store.ListAsync(new ErrorTracking.Storage.ErrorQuery(), CancellationToken.None);
        page.Items.Should().ContainSingle().Which.Count.Should().Be(50);
    }

    [Test]
    public async Task An_exception_never_thrown_gets_the_frames_of_the_recording_site()
    {
        await using var harness = new TrackerHarness();

        var detail = await harness.DetailAsync(ErrorTracker.RecordException(new InvalidOperationException("never thrown")));

        detail.FirstOccurrence.Exception.Frames[0].Method.Should().Be(nameof(An_exception_never_thrown_gets_the_frames_of_the_recording_site));
        detail.FirstOccurrence.Exception.Frames.Should().NotContain(f => f.DeclaringType.StartsWith("ErrorTracking.ErrorTracker", StringComparison.Ordinal));
    }

    [Test]
    public async Task Context_builders_describe_the_request_and_their_data_is_masked()
    {
        var builder = new RequestLikeContextBuilder();
        await using var harness = new TrackerHarness(o => o.ContextBuilders.Add(builder));

        var detail = await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder)));

        detail.Record.Host.Should().Be("shop.example");
        detail.Record.Path.Should().Be("/orders/42");
        detail.Record.Method.Should().Be("POST");
        detail.FirstOccurrence.Url.Should().Be("https://shop.example/orders/42?token=**************");
        var form = detail.FirstOccurrence.RequestData.Single(r => r.Name == "form").Value;
        form.Children.Single(c => c.Name == "password").Value.Kind.Should().Be(RecordedValueKind.Masked);
        form.Children.Single(c => c.Name == "user").Value.Text.Should().Be("bob");
        detail.FirstOccurrence.Context.Single(c => c.Name == "datacenter").Value.Text.Should().Be("eu-west");
    }

    [Test]
    public async Task A_request_section_keeps_its_label_visible_and_masks_its_entries_by_their_own_names()
    {
        await using var harness = new TrackerHarness(o => o.ContextBuilders.Add(new SectionContextBuilder()));

        var detail = await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder)));

        var data = detail.FirstOccurrence.RequestData.ToDictionary(r => r.Name, r => r.Value);
        data["cookie_jar"].Kind.Should().Be(RecordedValueKind.Masked, "plain request data is masked by its name, as any value");
        var cookies = data["cookies"];
        cookies.Kind.Should().Be(RecordedValueKind.Dictionary, "a section's label is the integration's, not a secret's name");
        cookies.Children.Single(c => c.Name == "theme").Value.Text.Should().Be("dark");
        cookies.Children.Single(c => c.Name == "session_id").Value.Kind.Should().Be(RecordedValueKind.Masked);
    }

    [Test]
    public async Task A_failing_context_builder_does_not_stop_recording()
    {
        await using var harness = new TrackerHarness(o => o.ContextBuilders.Add(new ThrowingContextBuilder()));

        var hash = ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));

        (await harness.DetailAsync(hash)).Record.Count.Should().Be(1);
    }

    [Test]
    public async Task An_exception_whose_message_throws_is_still_recorded()
    {
        await using var harness = new TrackerHarness();

        var hash = ErrorTracker.RecordException(new BrokenMessageException());

        (await harness.DetailAsync(hash)).Record.Message.Should().Be("<InvalidOperationException raised while reading the message>");
    }

    private sealed class RequestLikeContextBuilder : IContextBuilder
    {
        public void Build(CaptureContext context)
        {
            context.Host = "shop.example";
            context.Path = "/orders/42";
            context.Method = "POST";
            context.Url = "https://shop.example/orders/42?token=abc123";
            context.RequestData["form"] = new Dictionary<string, string> { ["user"] = "bob", ["password"] = "hunter2" };
            context.Extra["datacenter"] = "eu-west";
        }
    }

    private sealed class SectionContextBuilder : IContextBuilder
    {
        public void Build(CaptureContext context)
        {
            context.SetRequestSection("cookies", [KeyValuePair.Create<string, object?>("theme", "dark"), KeyValuePair.Create<string, object?>("session_id", "abc")]);
            context.RequestData["cookie_jar"] = new Dictionary<string, string> { ["theme"] = "dark" };
        }
    }

    private sealed class ThrowingContextBuilder : IContextBuilder
    {
        public void Build(CaptureContext context) => throw new InvalidOperationException("builder broke");
    }

    private sealed class BrokenMessageException : Exception
    {
        public override string Message => throw new InvalidOperationException();
    }
}

/// <summary>Failing code with known shapes; not inlined, so frames are as written in Release builds too.</summary>
internal static class Failures
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void PlaceOrder() => throw new InvalidOperationException("Order 42 is closed");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task PlaceOrderAsync()
    {
        await Task.Yield();
        throw new FormatException("bad order");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Catch(Action action)
    {
        try
        {
            action();
        }
        catch (Exception exception)
        {
            return exception;
        }

        throw new InvalidOperationException("expected a failure");
    }
}
