using System.Runtime.CompilerServices;
using ErrorTracking.Grouping;
using ErrorTracking.Records;
using ErrorTracking.Tests.Support;

namespace ErrorTracking.Tests.Grouping;

public sealed class FingerprintTests
{
    private static ExceptionDetail Chain(params FrameDetail[] frames) => new()
    {
        Type = "System.InvalidOperationException",
        Message = "Order 42 is closed",
        Frames = frames,
    };

    private static FrameDetail Frame(string type, string method, int line, string file = "/src/OrderService.cs", bool inApp = true) => new()
    {
        DeclaringType = type,
        Method = method,
        Parameters = [new FrameParameter("int", "id")],
        File = file,
        Line = line,
        InApp = inApp,
    };

    [Test]
    public void A_fixed_frame_list_has_a_fixed_hash()
    {
        var chain = Chain(
            Frame("Shop.OrderService", "Place", 42),
            Frame("Shop.OrdersController", "Post", 17),
            Frame("Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor", "Execute", 0, inApp: false));

        var hash = Fingerprint.Hash(Fingerprint.DefaultKey(chain, includeMessage: false));

        // Pinned: the same failure must keep its group across processes, machines, restarts and releases.
        hash.Should().Be(GoldenHash);
        Fingerprint.DefaultKey(chain, includeMessage: false).Should().Be(
            "type:System.InvalidOperationException\nframe:Shop.OrderService.Place(int)\nframe:Shop.OrdersController.Post(int)\n");
    }

    private const string GoldenHash = "1002fbf824ec8039d231705afa11de531c064a1928fa970ccb53c52429e91dfd";

    [Test]
    public void Line_numbers_files_and_messages_do_not_split_a_group()
    {
        var before = Chain(Frame("Shop.OrderService", "Place", 42), Frame("Shop.OrdersController", "Post", 17));
        var after = Chain(Frame("Shop.OrderService", "Place", 58, "/build/agent/OrderService.cs"), Frame("Shop.OrdersController", "Post", 19))
            with { Message = "Order 97 is closed" };

        Fingerprint.DefaultKey(after, includeMessage: false).Should().Be(Fingerprint.DefaultKey(before, includeMessage: false));
    }

    [Test]
    public void Compiler_ordinals_do_not_split_a_group()
    {
        var before = Chain(Frame("Shop.OrderService+<>c__DisplayClass3_0", "<Place>b__0_1", 42));
        var after = Chain(Frame("Shop.OrderService+<>c__DisplayClass7_2", "<Place>b__5_0", 42));

        Fingerprint.DefaultKey(after, includeMessage: false).Should().Be(Fingerprint.DefaultKey(before, includeMessage: false));
    }

    [Test]
    public void Different_call_paths_are_different_groups()
    {
        var fromCheckout = Chain(Frame("Shop.OrderService", "Place", 42), Frame("Shop.Checkout", "Complete", 10));
        var fromImport = Chain(Frame("Shop.OrderService", "Place", 42), Frame("Shop.Importer", "Run", 10));

        Fingerprint.DefaultKey(fromImport, false).Should().NotBe(Fingerprint.DefaultKey(fromCheckout, false));
    }

    [Test]
    public void Without_in_app_frames_all_frames_count_and_without_frames_the_normalized_message()
    {
        var frameworkOnly = Chain(Frame("System.Text.Json.JsonSerializer", "Deserialize", 1, inApp: false));
        var noFrames = Chain() with { Message = "Order 42 (id 7f3c9a1e-0000-4000-8000-00000000abcd) at 0x1F00 not found in 'eu'" };

        Fingerprint.DefaultKey(frameworkOnly, false).Should().Contain("frame:System.Text.Json.JsonSerializer.Deserialize(int)");
        Fingerprint.DefaultKey(noFrames, false).Should().EndWith("message:Order <n> (id <guid>) at <hex> not found in '<value>'\n");
    }

    [Test]
    public async Task The_same_method_failing_on_different_lines_is_one_group()
    {
        await using var harness = new TrackerHarness();

        var first = ErrorTracker.RecordException(Failures.Catch(() => Shapes.FailOnLine(1)));
        var second = ErrorTracker.RecordException(Failures.Catch(() => Shapes.FailOnLine(2)));

        second.Should().Be(first);
        (await harness.DetailAsync(first)).Record.Count.Should().Be(2);
    }

    [Test]
    public async Task Messages_with_ids_are_one_group()
    {
        await using var harness = new TrackerHarness();

        var first = ErrorTracker.RecordException(Failures.Catch(() => Shapes.FailWithId(17)));
        var second = ErrorTracker.RecordException(Failures.Catch(() => Shapes.FailWithId(98213)));

        second.Should().Be(first);
    }

    [Test]
    public async Task Different_call_paths_to_one_failing_method_are_different_groups()
    {
        await using var harness = new TrackerHarness();

        var viaCheckout = ErrorTracker.RecordException(Failures.Catch(Shapes.Checkout));
        var viaImport = ErrorTracker.RecordException(Failures.Catch(Shapes.Import));

        viaImport.Should().NotBe(viaCheckout);
        (await harness.AllAsync()).Should().HaveCount(2);
    }

    [Test]
    public async Task Including_the_message_splits_groups_by_normalized_text()
    {
        await using var harness = new TrackerHarness(o => o.IncludeMessageInFingerprint = true);

        var a = ErrorTracker.RecordException(Failures.Catch(() => Shapes.FailWithText("Order 1 closed")));
        var b = ErrorTracker.RecordException(Failures.Catch(() => Shapes.FailWithText("Order 2 closed")));
        var c = ErrorTracker.RecordException(Failures.Catch(() => Shapes.FailWithText("Payment refused")));

        b.Should().Be(a);
        c.Should().NotBe(a);
    }

    [Test]
    public async Task A_custom_fingerprint_overrides_the_default_and_null_falls_back()
    {
        await using var harness = new TrackerHarness(o => o.Fingerprint = e => e.ExceptionType == "System.TimeoutException" ? "timeouts" : null);

        var timeout1 = ErrorTracker.RecordException(new TimeoutException("a"));
        var timeout2 = ErrorTracker.RecordException(Failures.Catch(() => throw new TimeoutException("b")));
        var other = ErrorTracker.RecordException(Failures.Catch(Shapes.Checkout));

        timeout1.Should().Be(Fingerprint.Hash("timeouts"));
        timeout2.Should().Be(timeout1);
        other.Should().NotBe(timeout1);
    }
}

internal static class Shapes
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void FailOnLine(int line)
    {
        if (line == 1)
        {
            throw new InvalidOperationException("first line");
        }

        throw new InvalidOperationException("second line");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void FailWithId(int id) => throw new KeyNotFoundException($"Order {id} was not found");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void FailWithText(string text) => throw new InvalidOperationException(text);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Checkout() => Charge();

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Import() => Charge();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Charge() => throw new InvalidOperationException("declined");
}
