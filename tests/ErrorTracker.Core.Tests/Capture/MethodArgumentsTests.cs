using System.Reflection;
using System.Runtime.CompilerServices;
using ErrorTracking.Records;
using ErrorTracking.Rendering;
using ErrorTracking.Tests.Support;

namespace ErrorTracking.Tests.Capture;

public sealed class MethodArgumentsTests
{
    private static readonly MethodInfo Checkout = typeof(Checkouts).GetMethod(nameof(Checkouts.Checkout))!;
    private static readonly MethodInfo CheckoutAsync = typeof(Checkouts).GetMethod(nameof(Checkouts.CheckoutAsync))!;

    [Test]
    public async Task Arguments_are_shown_masked_under_their_method_frame()
    {
        await using var harness = new TrackerHarness();
        // Made at run time: a literal would be in this file's source, which the source context shows as it is.
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var card = new Card("4111", new Holder("Ada", password));
        var exception = Failures.Catch(() => Checkouts.Checkout(7, password, card));

        var hash = RecordInScope(exception, Checkout, ("orderId", 7), ("password", password), ("card", card));

        var occurrence = (await harness.DetailAsync(hash)).FirstOccurrence;
        var frames = occurrence.Exception.Frames;
        var frame = frames.Single(f => f.Method == nameof(Checkouts.Checkout));
        var arguments = frame.Variables.Where(v => v.Origin == VariableOrigin.Argument).ToDictionary(v => v.Name, v => ValueText.Format(v.Value));
        arguments.Should().Equal(new Dictionary<string, string>
        {
            ["orderId"] = "7",
            ["password"] = "**************",
            ["card"] = "Card { Number = \"4111\", Holder = Holder { Name = \"Ada\", Password = ************** } }",
        });
        frames.Where(f => f != frame).SelectMany(f => f.Variables).Should().NotContain(v => v.Origin == VariableOrigin.Argument);
        System.Text.Json.JsonSerializer.Serialize(occurrence).Should().NotContain(password);
    }

    [Test]
    public async Task An_async_method_matches_the_state_machine_frame_the_compiler_made_of_it()
    {
        await using var harness = new TrackerHarness();
        var exception = await CatchAsync(() => Checkouts.CheckoutAsync(9));

        var hash = RecordInScope(exception, CheckoutAsync, ("orderId", 9));

        var frame = (await harness.DetailAsync(hash)).FirstOccurrence.Exception.Frames.Single(f => f.Method == nameof(Checkouts.CheckoutAsync));
        frame.Variables.Should().ContainSingle(v => v.Origin == VariableOrigin.Argument).Which.Name.Should().Be("orderId");
    }

    [Test]
    public async Task A_lambda_matches_its_own_frame()
    {
        await using var harness = new TrackerHarness();
        Func<int, int> handler = [MethodImpl(MethodImplOptions.NoInlining)] (quantity) => quantity > 0 ? throw new ArgumentOutOfRangeException(nameof(quantity)) : 0;
        var exception = Failures.Catch(() => handler(3));

        var hash = RecordInScope(exception, handler.Method, ("quantity", 3));

        var frame = (await harness.DetailAsync(hash)).FirstOccurrence.Exception.Frames[0];
        frame.Method.Should().EndWith(".lambda");
        frame.Variables.Should().ContainSingle(v => v.Origin == VariableOrigin.Argument).Which.Name.Should().Be("quantity");
    }

    [Test]
    public async Task Arguments_of_a_method_without_a_frame_go_to_the_first_in_app_frame_named_with_their_method()
    {
        await using var harness = new TrackerHarness();
        var exception = Failures.Catch(Failures.PlaceOrder);

        // As when the JIT inlined the method into a framework frame: none of the exception's frames is Checkout.
        var hash = RecordInScope(exception, Checkout, ("orderId", 42));

        var frames = (await harness.DetailAsync(hash)).FirstOccurrence.Exception.Frames;
        var argument = frames.First(f => f.InApp).Variables.Should().ContainSingle(v => v.Origin == VariableOrigin.Argument).Which;
        argument.Name.Should().Be("orderId (of ErrorTracking.Tests.Capture.Checkouts.Checkout)");
        ValueText.Format(argument.Value).Should().Be("42");
    }

    [Test]
    public async Task Arguments_never_change_the_grouping_hash()
    {
        await using var harness = new TrackerHarness();
        var withArguments = Failures.Catch(() => Checkouts.Checkout(1, "x", null));

        var first = RecordInScope(withArguments, Checkout, ("orderId", 1));

        var second = ErrorTracker.RecordException(Failures.Catch(() => Checkouts.Checkout(2, "y", null)));

        second.Should().Be(first);
        var detail = await harness.DetailAsync(first);
        detail.Record.Count.Should().Be(2);
        detail.FirstOccurrence.Exception.Frames.SelectMany(f => f.Variables).Should().Contain(v => v.Origin == VariableOrigin.Argument);
        detail.LatestOccurrence.Exception.Frames.SelectMany(f => f.Variables).Should().NotContain(v => v.Origin == VariableOrigin.Argument);
    }

    [Test]
    public async Task Only_the_exception_they_were_given_for_gets_them_and_only_inside_the_scope()
    {
        await using var harness = new TrackerHarness();
        var failed = Failures.Catch(() => Checkouts.Checkout(1, "x", null));
        var unrelated = Failures.Catch(() => Checkouts.Checkout(2, "y", null));

        var unrelatedHash = RecordInScope(unrelated, failed, Checkout, ("orderId", 1));

        var afterHash = ErrorTracker.RecordException(failed);

        var detail = await harness.DetailAsync(unrelatedHash);
        afterHash.Should().Be(unrelatedHash);
        detail.Record.Count.Should().Be(2);
        foreach (var occurrence in new[] { detail.FirstOccurrence, detail.LatestOccurrence })
        {
            occurrence.Exception.Frames.SelectMany(f => f.Variables).Should().NotContain(v => v.Origin == VariableOrigin.Argument);
        }
    }

    [Test]
    public async Task An_exception_wrapped_by_another_keeps_its_arguments_on_its_own_frames()
    {
        await using var harness = new TrackerHarness();
        var failed = Failures.Catch(() => Checkouts.Checkout(5, "x", null));
        var wrapper = new InvalidOperationException("checkout failed", failed);

        var hash = RecordInScope(wrapper, failed, Checkout, ("orderId", 5));

        var root = (await harness.DetailAsync(hash)).FirstOccurrence.Exception;
        root.Frames.SelectMany(f => f.Variables).Should().NotContain(v => v.Origin == VariableOrigin.Argument);
        root.InnerExceptions.Single().Frames.Single(f => f.Method == nameof(Checkouts.Checkout)).Variables
            .Should().ContainSingle(v => v.Origin == VariableOrigin.Argument);
    }

    private static string? RecordInScope(Exception exception, MethodInfo method, params (string Name, object? Value)[] arguments) =>
        RecordInScope(exception, exception, method, arguments);

    // Records one exception inside a scope that was given the arguments of another (or the same) one.
    private static string? RecordInScope(Exception recorded, Exception bound, MethodInfo method, params (string Name, object? Value)[] arguments)
    {
        using var scope = ErrorTracker.BeginScope();
        scope.AddArguments(bound, method, arguments.Select(a => KeyValuePair.Create(a.Name, a.Value)));
        var hash = ErrorTracker.RecordException(recorded);
        scope.Complete();
        return hash;
    }

    private static async Task<Exception> CatchAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception exception)
        {
            return exception;
        }

        throw new InvalidOperationException("expected a failure");
    }
}

internal sealed record Holder(string Name, string Password);

internal sealed record Card(string Number, Holder Holder);

internal static class Checkouts
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Checkout(int orderId, string password, Card? card) =>
        throw new InvalidOperationException($"Order {orderId} cannot be paid");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task CheckoutAsync(int orderId)
    {
        await Task.Yield();
        throw new InvalidOperationException($"Order {orderId} cannot be paid");
    }
}
