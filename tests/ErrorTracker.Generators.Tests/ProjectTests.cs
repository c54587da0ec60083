using ErrorTracking.Generators.Tests.Support;
using ErrorTracking.Generators.Tests.Tracked;
using ErrorTracking.Rendering;

namespace ErrorTracking.Generators.Tests;

/// <summary>
/// The generator as a project uses it: this test project references it as an analyzer and imports Core's props, so
/// the calls below of <see cref="Accounts"/> are intercepted at build time.
/// </summary>
[NonParallelizable]
public sealed class ProjectTests
{
    private readonly Accounts _accounts = new();

    [Test]
    public async Task A_failing_call_is_recorded_with_its_arguments_and_the_password_masked()
    {
        using var run = new TrackedRun();
        // Made at run time: a literal in this file would be shown as source context.
        var password = "pw-" + Guid.NewGuid().ToString("N");

        var signIn = () => _accounts.SignIn("ada", password);

        signIn.Should().Throw<UnauthorizedAccessException>();
        var occurrence = await run.SingleAsync();
        occurrence.ArgumentsOf(nameof(Accounts.SignIn)).Should().Equal(new Dictionary<string, string>
        {
            ["user"] = "\"ada\"",
            ["password"] = "**************",
        });
        System.Text.Json.JsonSerializer.Serialize(occurrence).Should().NotContain(password);
    }

    [Test]
    public async Task A_successful_call_records_nothing()
    {
        using var run = new TrackedRun();

        _accounts.Balance("ada").Should().Be(3);

        (await run.RecordsAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task Nested_wrapped_calls_make_one_record_with_each_methods_arguments_under_its_own_frame()
    {
        using var run = new TrackedRun();

        var checkout = () => _accounts.Checkout(42);

        checkout.Should().Throw<InvalidOperationException>();
        var occurrence = await run.SingleAsync();
        occurrence.ArgumentsOf(nameof(Accounts.Checkout)).Should().Equal(new Dictionary<string, string> { ["orderId"] = "42" });
        occurrence.ArgumentsOf(nameof(Accounts.Reserve)).Should().Equal(new Dictionary<string, string> { ["orderId"] = "42", ["sku"] = "\"SKU-42\"" });
        occurrence.ArgumentsOf(nameof(Accounts.Charge)).Should().Equal(new Dictionary<string, string> { ["amount"] = "420" });
        occurrence.Exception.Frames[0].Method.Should().Be(nameof(Accounts.Charge), "the innermost frame is kept, and no interceptor frame shows");
    }

    [Test]
    public async Task A_silent_method_returns_default_and_still_records()
    {
        using var run = new TrackedRun();

        _accounts.TryParse("twelve").Should().Be(0);

        (await run.SingleAsync()).ArgumentsOf(nameof(Accounts.TryParse)).Should().Equal(new Dictionary<string, string> { ["text"] = "\"twelve\"" });
    }

    [Test]
    public async Task Async_methods_are_recorded_with_their_arguments()
    {
        using var run = new TrackedRun();

        await _accounts.Awaiting(a => a.LoadAsync(5)).Should().ThrowAsync<TimeoutException>();
        await _accounts.Awaiting(a => a.SaveAsync("ledger").AsTask()).Should().ThrowAsync<IOException>();

        var occurrences = (await run.RecordsAsync()).Select(r => r.Occurrence).ToList();
        occurrences.Should().HaveCount(2);
        occurrences.Single(o => o.ExceptionType == typeof(TimeoutException).FullName).ArgumentsOf(nameof(Accounts.LoadAsync))
            .Should().Equal(new Dictionary<string, string> { ["id"] = "5" });
        occurrences.Single(o => o.ExceptionType == typeof(IOException).FullName).ArgumentsOf(nameof(Accounts.SaveAsync))
            .Should().Equal(new Dictionary<string, string> { ["name"] = "\"ledger\"" });
        occurrences.SelectMany(o => o.Exception.Frames).Should().NotContain(f => f.DeclaringType.Contains("TrackedCalls", StringComparison.Ordinal),
            "the interceptors and their async helpers are hidden from recorded stacks");
    }

    [Test]
    public async Task Across_an_await_the_innermost_async_call_records_at_once_without_the_outer_calls_arguments()
    {
        using var run = new TrackedRun();

        await _accounts.Awaiting(a => a.ReportAsync("weekly")).Should().ThrowAsync<TimeoutException>();

        // The known limit: LoadAsync's wrapper records as soon as its task fails, before ReportAsync's wrapper sees the
        // exception, and Core ignores values added for an exception already recorded.
        var occurrence = await run.SingleAsync();
        occurrence.AllArguments().Select(a => a.Name).Should().Equal("id");
    }

    [Test]
    public async Task An_async_iterator_is_recorded_with_its_arguments_when_it_fails_while_enumerated()
    {
        using var run = new TrackedRun();
        var seen = new List<int>();

        var enumerate = async () =>
        {
            await foreach (var page in _accounts.Pages(20))
            {
                seen.Add(page);
            }
        };

        await enumerate.Should().ThrowAsync<InvalidDataException>();
        seen.Should().Equal(20);
        (await run.SingleAsync()).AllArguments().Should().ContainSingle()
            .Which.Should().Match<Records.CapturedVariable>(v => v.Name == "size" && ValueText.Format(v.Value) == "20");
    }

    [Test]
    public async Task A_generic_method_is_recorded()
    {
        using var run = new TrackedRun();

        var convert = () => _accounts.Convert<Guid>("not a guid");

        convert.Should().Throw<InvalidCastException>();
        (await run.SingleAsync()).ArgumentsOf(nameof(Accounts.Convert)).Should().Equal(new Dictionary<string, string> { ["value"] = "\"not a guid\"" });
    }

    [Test]
    public async Task A_static_method_with_ref_in_and_out_parameters_records_ref_and_in_as_they_were_and_leaves_out_out()
    {
        using var run = new TrackedRun();
        int from = 100, amount = 30, to = 0;

        var transfer = () => Accounts.Transfer(ref from, in amount, out to);

        transfer.Should().Throw<ArithmeticException>();
        from.Should().Be(70);
        (await run.SingleAsync()).ArgumentsOf(nameof(Accounts.Transfer)).Should().Equal(new Dictionary<string, string> { ["from"] = "70", ["amount"] = "30" });
    }

    [Test]
    public async Task An_extension_method_records_its_this_argument_first()
    {
        using var run = new TrackedRun();

        var describe = () => _accounts.Describe(level: 2);

        describe.Should().Throw<NotSupportedException>();
        var occurrence = await run.SingleAsync();
        occurrence.ArgumentsOf(nameof(AccountExtensions.Describe)).Keys.Should().Equal("accounts", "level");
        occurrence.Exception.Frames[0].DeclaringType.Should().Be(typeof(AccountExtensions).FullName);
    }

    [Test]
    public async Task The_class_attribute_covers_every_method_and_without_a_tracker_calls_just_run()
    {
        var noTracker = () => _accounts.Charge(1m);
        noTracker.Should().Throw<InvalidOperationException>("with no tracker installed the call behaves as written");

        using var run = new TrackedRun();
        noTracker.Should().Throw<InvalidOperationException>();
        (await run.SingleAsync()).ArgumentsOf(nameof(Accounts.Charge)).Should().ContainKey("amount");
    }
}
