using System.Runtime.CompilerServices;
using ErrorTracking.Records;
using ErrorTracking.Tests.Support;

namespace ErrorTracking.Tests.Capture;

public sealed class FrameCaptureTests
{
    [Test]
    public async Task Async_methods_are_shown_by_their_original_name()
    {
        await using var harness = new TrackerHarness();
        var service = new OrderService();

        string? hash = null;
        try
        {
            await service.PlaceAsync(7);
        }
        catch (Exception ex)
        {
            hash = ErrorTracker.RecordException(ex);
        }

        var frames = (await harness.DetailAsync(hash)).FirstOccurrence.Exception.Frames.Where(f => f.InApp).ToList();
        frames.Select(f => f.Signature).Should().StartWith(
        [
            "ErrorTracking.Tests.Capture.OrderService.ChargeAsync(decimal amount)",
            "ErrorTracking.Tests.Capture.OrderService.PlaceAsync(int id)",
        ]);
        frames.Should().NotContain(f => f.Method.Contains("MoveNext", StringComparison.Ordinal) || f.DeclaringType.Contains('<', StringComparison.Ordinal));
    }

    [Test]
    public async Task Lambdas_local_functions_and_iterators_are_named_after_their_method()
    {
        await using var harness = new TrackerHarness();
        var service = new OrderService();

        var lambda = await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(service.FailInLambda)));
        var local = await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(service.FailInLocalFunction)));
        var iterator = await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(() => _ = service.Lines().ToList())));

        lambda.FirstOccurrence.Exception.Frames[0].Method.Should().Be("FailInLambda.lambda");
        lambda.FirstOccurrence.Exception.Frames[0].DeclaringType.Should().Be("ErrorTracking.Tests.Capture.OrderService");
        local.FirstOccurrence.Exception.Frames[0].Method.Should().Be("FailInLocalFunction.Validate");
        iterator.FirstOccurrence.Exception.Frames[0].Method.Should().Be("Lines");
    }

    [Test]
    public async Task Frames_carry_file_line_column_and_source_context()
    {
        await using var harness = new TrackerHarness();

        var frame = (await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder))))
            .FirstOccurrence.Exception.Frames[0];

        frame.File.Should().EndWith("ErrorTrackerTests.cs");
        frame.Line.Should().BePositive();
        frame.ILOffset.Should().NotBeNull();
        frame.InApp.Should().BeTrue();
        frame.Source.Should().NotBeNull();
        var failingLine = frame.Source!.Lines[frame.Line!.Value - frame.Source.FirstLineNumber];
        failingLine.Should().Contain("throw new InvalidOperationException(\"Order 42 is closed\")");
        frame.Source.Lines.Should().HaveCount(11);
    }

    [Test]
    public async Task Source_context_can_be_turned_off()
    {
        await using var harness = new TrackerHarness(o => o.SourceContextLines = 0);

        var frame = (await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder))))
            .FirstOccurrence.Exception.Frames[0];

        frame.Source.Should().BeNull();
        frame.Line.Should().BePositive();
    }

    [Test]
    public async Task Framework_frames_are_not_in_app()
    {
        await using var harness = new TrackerHarness();

        var frames = (await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(() => int.Parse("x", System.Globalization.CultureInfo.InvariantCulture)))))
            .FirstOccurrence.Exception.Frames;

        frames.Should().Contain(f => f.DeclaringType.StartsWith("System.", StringComparison.Ordinal) && !f.InApp);
        frames.Should().Contain(f => f.DeclaringType == "ErrorTracking.Tests.Failures" && f.InApp);
    }

    [Test]
    public async Task In_app_namespaces_are_configurable()
    {
        await using var harness = new TrackerHarness(o => o.InAppExclude.Add("ErrorTracking.Tests"));

        var frames = (await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder))))
            .FirstOccurrence.Exception.Frames;

        frames.Should().OnlyContain(f => !f.InApp);
    }

    [Test]
    public async Task Static_fields_of_in_app_types_are_captured_as_globals_and_masked()
    {
        await using var harness = new TrackerHarness();

        var frame = (await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(Configured.Fail))))
            .FirstOccurrence.Exception.Frames[0];

        var statics = frame.Variables.Where(v => v.Origin == VariableOrigin.Static).ToDictionary(v => v.Name, v => v.Value);
        statics["s_region"].Text.Should().Be("eu-west");
        statics["s_apiSecret"].Kind.Should().Be(RecordedValueKind.Masked);
        statics["ConnectionString"].Text.Should().Be("Host=db;Password=**************");
        statics.Should().NotContainKey("MaxRetries", "constants are not variables, as upstream skipped ALL_CAPS names");
    }

    [Test]
    public async Task Static_fields_holding_framework_machinery_are_left_out_and_the_applications_state_is_kept()
    {
        await using var harness = new TrackerHarness();

        var frame = (await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(Plumbed.Fail))))
            .FirstOccurrence.Exception.Frames[0];

        frame.Variables.Where(v => v.Origin == VariableOrigin.Static).Select(v => v.Name)
            .Should().BeEquivalentTo(["s_attempts", "s_recentSkus", "s_startedAt", "s_lastOrder", "s_mode", "s_retryAfter"]);
    }

    [Test]
    public async Task Frames_read_again_from_what_is_known_keep_each_throws_own_line_and_source()
    {
        await using var harness = new TrackerHarness();

        async Task<FrameDetail> ThrowingFrameAsync(bool early) =>
            (await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(() => TwoThrows.Fail(early)))))
                .LatestOccurrence.Exception.Frames.Single(f => f.Method == nameof(TwoThrows.Fail));

        var first = await ThrowingFrameAsync(early: true);
        var again = await ThrowingFrameAsync(early: true);
        var other = await ThrowingFrameAsync(early: false);

        first.Line.Should().BePositive();
        again.Should().BeEquivalentTo(first, "the same place reads the same, whether from the PDB or from what is known");
        other.Line.Should().Be(first.Line + 3, "another throw in the same method is another place");
        other.Source!.Lines.Should().Contain(l => l.Contains("late", StringComparison.Ordinal));
    }

    [Test]
    public async Task Static_fields_can_be_turned_off()
    {
        await using var harness = new TrackerHarness(o => o.CaptureStaticFields = false);

        var frame = (await harness.DetailAsync(ErrorTracker.RecordException(Failures.Catch(Configured.Fail))))
            .FirstOccurrence.Exception.Frames[0];

        frame.Variables.Should().BeEmpty();
    }

    [Test]
    public async Task The_whole_chain_is_captured_with_aggregate_branches_data_and_properties()
    {
        await using var harness = new TrackerHarness();
        var aggregate = new AggregateException(
            "several",
            Failures.Catch(() => throw new ArgumentException("bad quantity", "quantity")),
            Failures.Catch(() => throw new InvalidOperationException("outer", new TimeoutException("gateway"))));
        aggregate.Data["orderId"] = 17;

        var root = (await harness.DetailAsync(ErrorTracker.RecordException(aggregate))).FirstOccurrence.Exception;

        root.Type.Should().Be("System.AggregateException");
        root.Data.Should().ContainSingle().Which.Should().Be(new NamedValue("orderId", RecordedValue.Scalar("17", "int")));
        root.InnerExceptions.Select(e => e.Type).Should().Equal("System.ArgumentException", "System.InvalidOperationException");
        root.InnerExceptions[0].Properties.Should().Contain(p => p.Name == "ParamName" && p.Value.Text == "quantity");
        root.InnerExceptions[0].Properties.Should().Contain(p => p.Name == "HResult");
        root.InnerExceptions[1].InnerExceptions.Should().ContainSingle().Which.Message.Should().Be("gateway");
        root.SelfAndDescendants().Should().HaveCount(4);
    }

    [Test]
    public async Task A_self_referencing_chain_ends()
    {
        await using var harness = new TrackerHarness();
        var aggregate = new AggregateException(Enumerable.Repeat(new InvalidOperationException("same"), 3));

        var root = (await harness.DetailAsync(ErrorTracker.RecordException(aggregate))).FirstOccurrence.Exception;

        root.InnerExceptions.Should().ContainSingle("one exception object appears once in the chain");
    }
}

internal sealed class OrderService
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task PlaceAsync(int id)
    {
        await Task.Yield();
        await ChargeAsync(id * 10m);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void FailInLambda()
    {
        var offset = 1;
        Func<int, int> compute = x => x / (offset - 1);
        compute(5);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void FailInLocalFunction()
    {
        Validate(-1);

        [MethodImpl(MethodImplOptions.NoInlining)]
        static void Validate(int quantity)
        {
            if (quantity < 0)
            {
                throw new InvalidOperationException("A quantity cannot be negative.");
            }
        }
    }

    public IEnumerable<string> Lines()
    {
        yield return "first";
        throw new InvalidDataException("broken line");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task ChargeAsync(decimal amount)
    {
        await Task.Yield();
        throw new InvalidOperationException($"Card declined for {amount}");
    }
}

internal static class Plumbed
{
    private static readonly System.Text.RegularExpressions.Regex s_skuPattern = new("^[a-z]+$");
    private static readonly object s_gate = new();
    private static readonly Lazy<string> s_lazyName = new(() => "x");
    private static readonly Func<int, int> s_double = x => x * 2;
    private static readonly Microsoft.Extensions.Logging.ILogger s_logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private static readonly SemaphoreSlim s_throttle = new(1);
    private static readonly Type s_self = typeof(Plumbed);
    private static int s_attempts = 2;
    private static readonly List<string> s_recentSkus = ["book"];
    private static readonly DateTimeOffset s_startedAt = DateTimeOffset.UnixEpoch;
    private static readonly ClosureTarget s_lastOrder = new("pen");
    private static readonly StringComparison s_mode = StringComparison.Ordinal;
    private static readonly TimeSpan? s_retryAfter = TimeSpan.FromSeconds(1);

    public static event EventHandler? Changed;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fail()
    {
        lock (s_gate)
        {
            s_attempts++;
            Changed?.Invoke(null, EventArgs.Empty);
            throw new InvalidOperationException(
                $"{s_skuPattern} {s_lazyName.Value} {s_double(1)} {s_logger} {s_throttle.CurrentCount} {s_self.Name} {s_recentSkus.Count} {s_startedAt} {s_lastOrder} {s_mode} {s_retryAfter}");
        }
    }
}

internal sealed record ClosureTarget(string Sku);

internal static class TwoThrows
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fail(bool early)
    {
        if (early)
        {
            throw new InvalidOperationException("early");
        }

        throw new InvalidOperationException("late");
    }
}

internal static class Configured
{
    private const int MaxRetries = 3;
    private static readonly string s_region = "eu-west";
    private static readonly string s_apiSecret = "k-123";
    public static readonly string ConnectionString = "Host=db;Password=hunter2";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fail() => throw new InvalidOperationException($"{s_region} {s_apiSecret.Length} {MaxRetries}");
}
