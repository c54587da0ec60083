using System.Diagnostics;
using System.Runtime.CompilerServices;
using ErrorTracking.Decorators;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Tests.Support;

namespace ErrorTracking.Tests.Decorators;

/// <summary>
/// The protocol the generated interceptors follow (keep from the filter, record from the finally), driven here by
/// hand-written wrappers of the same shape, so the runtime half is pinned apart from the generator.
/// </summary>
public sealed class DecoratedCallTests
{
    [Test]
    public async Task An_exception_passing_three_decorated_calls_is_recorded_once_with_each_calls_arguments_under_its_own_frame()
    {
        await using var harness = new TrackerHarness();

        FluentActions.Invoking(() => Wrapped.Checkout("ada", "hunter2"))
            .Should().Throw<InvalidOperationException>().WithMessage("card declined");

        var records = await harness.AllAsync();
        records.Should().ContainSingle().Which.Count.Should().Be(1);
        var frames = (await harness.DetailAsync(records[0].Hash)).FirstOccurrence.Exception.Frames;
        Arguments(frames, nameof(Shop.Charge)).Should().Equal(("amount", "42.5"), ("cardNumber", "4111"));
        Arguments(frames, nameof(Shop.PlaceOrder)).Should().Equal(("sku", "book"), ("quantity", "3"));
        var checkout = frames.Single(f => f.Method == nameof(Shop.Checkout)).Variables;
        checkout.Should().OnlyContain(v => v.Origin == VariableOrigin.Argument);
        checkout.Single(v => v.Name == "user").Value.Text.Should().Be("ada");
        checkout.Single(v => v.Name == "password").Value.Kind.Should().Be(RecordedValueKind.Masked);
        frames.Should().NotContain(f => f.DeclaringType.Contains(nameof(Wrapped), StringComparison.Ordinal), "wrappers are hidden like the generated ones");
    }

    [Test]
    public async Task An_exception_handled_between_two_decorated_calls_is_recorded_with_the_inner_calls_arguments()
    {
        await using var harness = new TrackerHarness();

        Wrapped.CheckoutSwallowingPlaceOrderFailures("ada").Should().BeFalse();

        var records = await harness.AllAsync();
        records.Should().ContainSingle();
        var frames = (await harness.DetailAsync(records[0].Hash)).FirstOccurrence.Exception.Frames;
        Arguments(frames, nameof(Shop.Charge)).Should().Equal(("amount", "42.5"), ("cardNumber", "4111"));
        Arguments(frames, nameof(Shop.PlaceOrder)).Should().Equal(("sku", "book"), ("quantity", "3"));
    }

    [Test]
    public async Task A_silent_decorated_call_swallows_and_records()
    {
        await using var harness = new TrackerHarness();

        Wrapped.ChargeSilently(7m, "4222").Should().Be(0);

        var records = await harness.AllAsync();
        var frames = (await harness.DetailAsync(records.Should().ContainSingle().Subject.Hash)).FirstOccurrence.Exception.Frames;
        Arguments(frames, nameof(Shop.Charge)).Should().Equal(("amount", "7"), ("cardNumber", "4222"));
    }

    [Test]
    public async Task A_recursive_decorated_method_fills_its_frames_innermost_first()
    {
        await using var harness = new TrackerHarness();

        FluentActions.Invoking(() => Wrapped.Countdown(2)).Should().Throw<InvalidOperationException>();

        var records = await harness.AllAsync();
        var frames = (await harness.DetailAsync(records.Should().ContainSingle().Subject.Hash)).FirstOccurrence.Exception.Frames;
        frames.Where(f => f.Method == nameof(Shop.Countdown))
            .Select(f => f.Variables.Single(v => v.Origin == VariableOrigin.Argument).Value.Text)
            .Should().Equal("0", "1", "2");
    }

    [Test]
    public async Task An_async_failure_is_recorded_once_with_the_innermost_calls_arguments_before_the_caller_sees_it()
    {
        await using var harness = new TrackerHarness();
        long recordedWhenCaught = -1;

        try
        {
            await Wrapped.ShipTwiceAsync(17);
        }
        catch (TimeoutException)
        {
            recordedWhenCaught = harness.Tracker.Statistics.Recorded;
        }

        recordedWhenCaught.Should().Be(1, "the wrapper records before it hands the failure on");
        var records = await harness.AllAsync();
        var frames = (await harness.DetailAsync(records.Should().ContainSingle().Subject.Hash)).FirstOccurrence.Exception.Frames;
        Arguments(frames, nameof(Shop.ShipAsync)).Should().Equal(("parcel", "17"));
        frames.Should().NotContain(f => f.Method == nameof(Shop.ShipTwiceAsync) && f.Variables.Count > 0,
            "across an await the outer call finds it recorded already");
    }

    [Test]
    public async Task A_caller_recording_again_what_an_async_decorated_call_recorded_adds_no_occurrence()
    {
        await using var harness = new TrackerHarness();
        string? again = null;

        try
        {
            await Wrapped.ShipAsync(5);
        }
        catch (TimeoutException exception)
        {
            again = ErrorTracker.RecordException(exception);
        }

        var record = (await harness.AllAsync()).Should().ContainSingle().Subject;
        record.Count.Should().Be(1);
        again.Should().Be(record.Hash);
    }

    [Test]
    public async Task A_decorated_call_that_succeeds_records_nothing()
    {
        await using var harness = new TrackerHarness();

        Wrapped.Charge(1m, "4111", fail: false).Should().Be(1);

        (await harness.AllAsync()).Should().BeEmpty();
        harness.Tracker.Statistics.Recorded.Should().Be(0);
    }

    [Test]
    public async Task Failing_calls_without_a_tracker_change_nothing()
    {
        ErrorTracker.Current.Should().BeNull();

        FluentActions.Invoking(() => Wrapped.Checkout("ada", "pw")).Should().Throw<InvalidOperationException>();
        Wrapped.ChargeSilently(1m, "1").Should().Be(0);
        await Task.CompletedTask;
    }

    private static IEnumerable<(string Name, string? Text)> Arguments(IReadOnlyList<FrameDetail> frames, string method) =>
        frames.Single(f => f.Method == method).Variables.Where(v => v.Origin == VariableOrigin.Argument).Select(v => (v.Name, v.Value.Text));

    /// <summary>The methods as written, each call failing from the innermost.</summary>
    internal static class Shop
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static bool Checkout(string user, string password) => Wrapped.PlaceOrder("book", 3) > user.Length + password.Length;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int PlaceOrder(string sku, int quantity) => Wrapped.Charge(42.5m, "4111", fail: true) + sku.Length + quantity;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int Charge(decimal amount, string cardNumber, bool fail) =>
            fail ? throw new InvalidOperationException("card declined") : (int)amount + cardNumber.Length - 4;

        public static async Task<int> ShipAsync(int parcel)
        {
            await Task.Yield();
            throw new TimeoutException($"carrier did not answer for {parcel}");
        }

        public static async Task ShipTwiceAsync(int parcel)
        {
            await Wrapped.ShipAsync(parcel);
            await Wrapped.ShipAsync(parcel + 1);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int Countdown(int left) => left == 0 ? throw new InvalidOperationException("liftoff failed") : Wrapped.Countdown(left - 1);
    }

    /// <summary>What the generator emits for each call of a [TrackExceptions] method, written out by hand.</summary>
    [StackTraceHidden]
    internal static class Wrapped
    {
        public static bool Checkout(string user, string password)
        {
            Exception? failure = null;
            try
            {
                return Shop.Checkout(user, password);
            }
            catch (Exception exception) when (TrackedCall.Failing(failure = exception, false, typeof(Shop), nameof(Shop.Checkout), new("user", user), new("password", password)))
            {
                return default;
            }
            finally
            {
                if (failure is not null)
                {
                    TrackedCall.Left(failure);
                }
            }
        }

        public static bool CheckoutSwallowingPlaceOrderFailures(string user)
        {
            try
            {
                return Checkout(user, "pw");
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        public static int PlaceOrder(string sku, int quantity)
        {
            Exception? failure = null;
            try
            {
                return Shop.PlaceOrder(sku, quantity);
            }
            catch (Exception exception) when (TrackedCall.Failing(failure = exception, false, typeof(Shop), nameof(Shop.PlaceOrder), new("sku", sku), new("quantity", quantity)))
            {
                return default;
            }
            finally
            {
                if (failure is not null)
                {
                    TrackedCall.Left(failure);
                }
            }
        }

        public static int Charge(decimal amount, string cardNumber, bool fail) => Charge(amount, cardNumber, fail, silent: false);

        public static Task<int> ShipAsync(int parcel)
        {
            var task = Shop.ShipAsync(parcel);
            return task.IsCompletedSuccessfully ? task : TrackedCall.Await(task, false, typeof(Shop), nameof(Shop.ShipAsync), new KeyValuePair<string, object?>("parcel", parcel));
        }

        public static Task ShipTwiceAsync(int parcel)
        {
            var task = Shop.ShipTwiceAsync(parcel);
            return task.IsCompletedSuccessfully ? task : TrackedCall.Await(task, false, typeof(Shop), nameof(Shop.ShipTwiceAsync), new KeyValuePair<string, object?>("parcel", parcel));
        }

        public static int ChargeSilently(decimal amount, string cardNumber) => Charge(amount, cardNumber, fail: true, silent: true);

        public static int Countdown(int left)
        {
            Exception? failure = null;
            try
            {
                return Shop.Countdown(left);
            }
            catch (Exception exception) when (TrackedCall.Failing(failure = exception, false, typeof(Shop), nameof(Shop.Countdown), new KeyValuePair<string, object?>("left", left)))
            {
                return default;
            }
            finally
            {
                if (failure is not null)
                {
                    TrackedCall.Left(failure);
                }
            }
        }

        private static int Charge(decimal amount, string cardNumber, bool fail, bool silent)
        {
            Exception? failure = null;
            try
            {
                return Shop.Charge(amount, cardNumber, fail);
            }
            catch (Exception exception) when (TrackedCall.Failing(failure = exception, silent, typeof(Shop), nameof(Shop.Charge), new("amount", amount), new("cardNumber", cardNumber)))
            {
                return default;
            }
            finally
            {
                if (failure is not null)
                {
                    TrackedCall.Left(failure);
                }
            }
        }
    }
}
