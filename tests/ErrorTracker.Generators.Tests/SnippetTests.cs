using ErrorTracking.Generators.Tests.Support;
using ErrorTracking.Records;

namespace ErrorTracking.Generators.Tests;

/// <summary>
/// The generator run on code compiled in memory: what it generates compiles without a warning, and the loaded code,
/// run against a real tracker, records failures with the arguments each wrapped call was made with.
/// </summary>
[NonParallelizable]
public sealed class SnippetTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using ErrorTracking;

        """;

    [Test]
    public async Task An_instance_call_records_its_arguments_under_its_frame_and_the_interceptor_stays_hidden()
    {
        var assembly = Snippet.Load(Usings + """
            namespace Shop
            {
                public sealed record Order(int Id);

                [TrackExceptions]
                public class OrderService
                {
                    public int Place(Order order, int quantity) => throw new InvalidOperationException("out of stock");
                }
            }

            public static class Entry
            {
                public static object? Run()
                {
                    try { return new Shop.OrderService().Place(new Shop.Order(7), quantity: 3); }
                    catch (InvalidOperationException exception) { return exception; }
                }
            }
            """);
        using var run = new TrackedRun();

        Snippet.Run(assembly).Should().BeOfType<InvalidOperationException>("the exception still propagates");

        var occurrence = await run.SingleAsync();
        occurrence.ArgumentsOf("Place").Should().Equal(new Dictionary<string, string>
        {
            ["order"] = "Order { Id = 7 }",
            ["quantity"] = "3",
        });
        occurrence.Exception.Frames.Should().NotContain(f => f.DeclaringType.Contains("TrackedCalls", StringComparison.Ordinal));
    }

    [Test]
    public async Task Static_extension_optional_params_named_and_struct_calls_are_wrapped_with_the_methods_signature()
    {
        var assembly = Snippet.Load(Usings + """
            [TrackExceptions]
            public static class Calc
            {
                public static int Divide(int a, int b = 0, params int[] more) => a / b;
                public static int Twice(this string text, int times) => throw new FormatException(text);
            }

            [TrackExceptions]
            public struct Counter
            {
                public int Value;
                public void Add(int amount) { Value += amount; if (Value > 5) throw new OverflowException(); }
            }

            public static class Entry
            {
                public static object? Run()
                {
                    var failures = new List<Exception>();
                    try { Calc.Divide(b: 0, a: 4); } catch (DivideByZeroException e) { failures.Add(e); }
                    try { "abc".Twice(2); } catch (FormatException e) { failures.Add(e); }
                    var counter = new Counter();
                    counter.Add(2);
                    try { counter.Add(4); } catch (OverflowException e) { failures.Add(e); }
                    // The struct was passed by reference: both additions landed on the same value.
                    return counter.Value == 6 ? failures : null;
                }
            }
            """);
        using var run = new TrackedRun();

        Snippet.Run(assembly).Should().BeAssignableTo<List<Exception>>().Which.Should().HaveCount(3);

        var records = await run.RecordsAsync();
        records.Should().HaveCount(3);
        records.Select(r => r.Occurrence).Single(o => o.ExceptionType == "System.DivideByZeroException")
            .ArgumentsOf("Divide").Should().Equal(new Dictionary<string, string> { ["a"] = "4", ["b"] = "0", ["more"] = "[]" });
        records.Select(r => r.Occurrence).Single(o => o.ExceptionType == "System.FormatException")
            .ArgumentsOf("Twice").Should().Equal(new Dictionary<string, string> { ["text"] = "\"abc\"", ["times"] = "2" });
        records.Select(r => r.Occurrence).Single(o => o.ExceptionType == "System.OverflowException")
            .ArgumentsOf("Add").Should().Equal(new Dictionary<string, string> { ["amount"] = "4" });
    }

    [Test]
    public async Task Ref_and_in_arguments_are_captured_as_they_are_when_the_exception_leaves_and_out_ones_are_left_out()
    {
        var assembly = Snippet.Load(Usings + """
            public static class Store
            {
                [TrackExceptions]
                public static void Reserve(ref int stock, in int wanted, out string receipt)
                {
                    stock -= wanted;
                    throw new InvalidOperationException("short");
                }
            }

            public static class Entry
            {
                public static object? Run()
                {
                    int stock = 10, wanted = 4;
                    try { Store.Reserve(ref stock, in wanted, out var receipt); return receipt; }
                    catch (InvalidOperationException exception) { return exception; }
                }
            }
            """);
        using var run = new TrackedRun();

        Snippet.Run(assembly).Should().BeOfType<InvalidOperationException>();

        (await run.SingleAsync()).ArgumentsOf("Reserve").Should().Equal(new Dictionary<string, string> { ["stock"] = "6", ["wanted"] = "4" });
    }

    [Test]
    public async Task Generic_methods_and_methods_of_a_concrete_generic_type_are_wrapped()
    {
        var assembly = Snippet.Load(Usings + """
            public class Repository<T>
            {
                [TrackExceptions]
                public TResult Map<TResult>(T item, Func<T, TResult> map) where TResult : notnull => map(item);
            }

            public static class Entry
            {
                public static object? Run()
                {
                    try { return new Repository<int>().Map<string>(5, i => throw new KeyNotFoundException(i.ToString())); }
                    catch (KeyNotFoundException exception) { return exception; }
                }
            }
            """);
        using var run = new TrackedRun();

        Snippet.Run(assembly).Should().BeOfType<KeyNotFoundException>();

        var occurrence = await run.SingleAsync();
        occurrence.AllArguments().Select(a => a.Name).Should().Contain("item");
        occurrence.Exception.Frames.Single(f => f.Method == "Map").Arguments()["item"].Should().Be("5");
    }

    [Test]
    public async Task A_silent_method_returns_default_and_its_own_attribute_wins_over_its_types()
    {
        var assembly = Snippet.Load(Usings + """
            [TrackExceptions]
            public class Prices
            {
                [TrackExceptions(Silent = true)]
                public decimal Lookup(string sku, out bool found) => throw new InvalidOperationException(sku);

                public decimal Strict(string sku) => throw new InvalidOperationException(sku);
            }

            public static class Entry
            {
                public static object? Run()
                {
                    var prices = new Prices();
                    var value = prices.Lookup("A-1", out var found);
                    try { prices.Strict("B-2"); return null; }
                    catch (InvalidOperationException) { return (value, found); }
                }
            }
            """);
        using var run = new TrackedRun();

        Snippet.Run(assembly).Should().Be((0m, false));

        var records = await run.RecordsAsync();
        records.Should().HaveCount(2, "a silent call still records");
        records.SelectMany(r => r.Occurrence.AllArguments()).Select(a => ValueText(a)).Should().BeEquivalentTo(["\"A-1\"", "\"B-2\""]);
    }

    [Test]
    public async Task Async_results_are_tracked_when_they_fail_later_and_cost_nothing_when_they_succeed()
    {
        var assembly = Snippet.Load(Usings + """
            [TrackExceptions]
            public class Payments
            {
                public async Task<int> ChargeAsync(int cents) { await Task.Yield(); throw new TimeoutException(cents.ToString()); }
                public async ValueTask RefundAsync(int cents) { await Task.Yield(); throw new InvalidOperationException(cents.ToString()); }
                public Task<int> FastAsync(int cents) => Task.FromResult(cents);
                public async IAsyncEnumerable<int> History(int count)
                {
                    await Task.Yield();
                    yield return 1;
                    throw new ArgumentOutOfRangeException(nameof(count));
                }
            }

            public static class Entry
            {
                public static async Task<object?> RunAsync()
                {
                    var payments = new Payments();
                    var failures = new List<Exception>();
                    try { await payments.ChargeAsync(250); } catch (TimeoutException e) { failures.Add(e); }
                    try { await payments.RefundAsync(99); } catch (InvalidOperationException e) { failures.Add(e); }
                    try { await foreach (var item in payments.History(3)) { } } catch (ArgumentOutOfRangeException e) { failures.Add(e); }
                    return await payments.FastAsync(1) == 1 ? failures : null;
                }

                public static object? Run() => RunAsync().GetAwaiter().GetResult();
            }
            """);
        using var run = new TrackedRun();

        Snippet.Run(assembly).Should().BeAssignableTo<List<Exception>>().Which.Should().HaveCount(3);

        var occurrences = (await run.RecordsAsync()).Select(r => r.Occurrence).ToList();
        occurrences.Should().HaveCount(3);
        occurrences.Single(o => o.ExceptionType == "System.TimeoutException").AllArguments().Should().ContainSingle(a => a.Name == "cents");
        occurrences.Single(o => o.ExceptionType == "System.InvalidOperationException").AllArguments().Should().ContainSingle(a => a.Name == "cents");
        occurrences.Single(o => o.ExceptionType == "System.ArgumentOutOfRangeException").AllArguments().Should().ContainSingle(a => a.Name == "count");
    }

    [Test]
    public void Calls_that_are_not_invocations_or_cannot_be_intercepted_are_left_alone()
    {
        var snippet = Snippet.Generate(Usings + """
            [TrackExceptions]
            public class Service
            {
                public virtual int Work(int x) => x;
                private int Helper(int x) => x;
                public int UsesHelper(int x) => Helper(x);
            }

            public class Derived : Service
            {
                public override int Work(int x) => base.Work(x);
            }

            public static class Entry
            {
                public static object Run()
                {
                    Func<int, int> method = new Service().Work;
                    System.Linq.Expressions.Expression<Func<Service, int>> tree = s => s.Work(1);
                    return nameof(Service.Work) + method(1) + tree;
                }
            }
            """);

        snippet.GeneratorDiagnostics.Should().BeEmpty();
        snippet.Generated.Should().BeEmpty("a method group, nameof, base.Work, an expression tree and a private helper are not wrapped");
    }

    [Test]
    public void Calls_inside_lambdas_local_functions_and_expression_bodies_and_conditional_calls_are_wrapped()
    {
        var snippet = Snippet.Generate(Usings + """
            [TrackExceptions]
            public class Service
            {
                public int Work(int x) => x;
            }

            public static class Entry
            {
                public static int Body(Service? s) => s?.Work(1) ?? 0;

                public static object Run()
                {
                    var s = new Service();
                    Func<int> lambda = () => s.Work(2);
                    int Local() => s.Work(3);
                    return lambda() + Local() + Body(s);
                }
            }
            """);

        snippet.GeneratorDiagnostics.Should().BeEmpty();
        snippet.Generated.Split("[global::System.Runtime.CompilerServices.InterceptsLocation(").Should().HaveCount(4, "three calls are wrapped");
        snippet.Load();
    }

    private static string ValueText(CapturedVariable variable) => Rendering.ValueText.Format(variable.Value);
}
