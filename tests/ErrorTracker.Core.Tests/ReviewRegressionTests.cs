using System.Collections;
using ErrorTracking.Capture;
using ErrorTracking.Configuration;
using ErrorTracking.Masking;
using ErrorTracking.Records;
using ErrorTracking.Rendering;
using ErrorTracking.Storage;
using ErrorTracking.Tests.Support;
using ErrorTracking.Testing.Storage;

namespace ErrorTracking.Tests;

/// <summary>Defects found in review of the core engine, each pinned so it stays fixed.</summary>
public sealed class ReviewRegressionTests
{
    private const string Mask = "**************";

    private static ValueRenderer Renderer() => new(
        new SecretMasker(new KeyFragmentMaskingRule(ErrorTrackerOptions.DefaultMaskedKeys, Mask), Mask, maskText: true, []),
        new CaptureLimits(10_000, 1_000, 100, 10_000));

    private static string Show(string name, object? value) => ValueText.Format(Renderer().RenderNamed(name, value));

    [Test]
    public void Pairs_entries_and_tuples_do_not_leak_through_ToString()
    {
        Show("pair", new KeyValuePair<string, string>("password", "hunter2")).Should().NotContain("hunter2").And.Contain("password");
        Show("entry", new DictionaryEntry("password", "hunter2")).Should().NotContain("hunter2");
        Show("credentials", ("bob", "x")).Should().NotContain("bob", "a value named credentials is masked whole");
        Show("login", ("user", "bob", "password", "hunter2")).Should().Contain("bob").And.NotContain("hunter2");
    }

    [Test]
    public void Secrets_used_as_dictionary_keys_are_masked()
    {
        Show("d", new Dictionary<string, int> { ["postgres://u:hunter2@db/x"] = 1, ["Bearer abcdefghijkl"] = 2 })
            .Should().NotContain("hunter2").And.NotContain("abcdefghijkl");
    }

    [TestCase("Authorization: token ghp_hunter2secret", "ghp_hunter2secret")]
    [TestCase("{\n  \"password\":\n  \"hunter2\"\n}", "hunter2")]
    [TestCase("{\\\"password\\\":\\\"hunter2\\\"}", "hunter2")]
    [TestCase("<password>hunter2</password>", "hunter2")]
    [TestCase("redis://:hunter2@cache:6379", "hunter2")]
    [TestCase("DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=aGVsbG8=;", "aGVsbG8")]
    [TestCase("Endpoint=sb://x/;SharedAccessKeyName=Root;SharedAccessKey=c2VjcmV0=", "c2VjcmV0")]
    public void Secret_shapes_found_in_review_are_masked(string text, string secret) =>
        Renderer().Masker.MaskText(text).Should().NotContain(secret);

    [Test]
    public void A_huge_string_is_clipped_before_it_is_scanned()
    {
        var huge = new string('a', 1_000_000) + " password=hunter2";
        var values = Enumerable.Range(0, 20).Select(_ => huge).ToList();

        var rendered = Renderer().RenderNamed("bodies", values);

        rendered.Children.Should().HaveCount(20);
        rendered.Children.Should().OnlyContain(c => c.Value.Text!.Length == 10_003 && c.Value.Text.EndsWith("...", StringComparison.Ordinal),
            "each is cut to the limit, not withheld because scanning a megabyte timed out");
    }

    [Test]
    public async Task A_cached_exception_thrown_afresh_counts_every_time()
    {
        await using var harness = new TrackerHarness();
        var cached = new InvalidOperationException("cached");

        string? hash = null;
        for (var i = 0; i < 3; i++)
        {
            try
            {
                throw cached;
            }
            catch (Exception ex)
            {
                hash = ErrorTracker.RecordException(ex);
            }
        }

        (await harness.DetailAsync(hash)).Record.Count.Should().Be(3);
    }

    [Test]
    public async Task An_exception_recorded_again_as_it_propagates_counts_once()
    {
        await using var harness = new TrackerHarness();

        string? outer = null;
        try
        {
            RecordAndRethrow();
        }
        catch (Exception ex)
        {
            outer = ErrorTracker.RecordException(ex);
        }

        var records = await harness.AllAsync();
        records.Should().ContainSingle().Which.Count.Should().Be(1);
        records[0].Hash.Should().Be(outer);
    }

    [Test]
    public async Task Recorded_twice_where_it_was_caught_counts_once()
    {
        await using var harness = new TrackerHarness();
        var exception = Failures.Catch(Failures.PlaceOrder);

        ErrorTracker.RecordException(exception);
        using (ErrorTracker.BeginScope())
        {
            ErrorTracker.RecordException(exception);
        }

        (await harness.AllAsync()).Should().ContainSingle().Which.Count.Should().Be(1);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void RecordAndRethrow()
    {
        try
        {
            Failures.PlaceOrder();
        }
        catch (Exception ex)
        {
            ErrorTracker.RecordException(ex);
            throw;
        }
    }

    [Test]
    public void The_order_and_repeats_of_aggregate_branches_do_not_split_a_group()
    {
        static ExceptionDetail Leaf(string type) => new() { Type = type, Message = "", Frames = [new FrameDetail { DeclaringType = "A", Method = type, InApp = true }] };
        var a = Leaf("System.ArgumentException");
        var b = Leaf("System.TimeoutException");
        ExceptionDetail Aggregate(params ExceptionDetail[] inner) => new() { Type = "System.AggregateException", Message = "", InnerExceptions = inner };

        var ab = ErrorTracking.Grouping.Fingerprint.DefaultKey(Aggregate(a, b), false);

        ErrorTracking.Grouping.Fingerprint.DefaultKey(Aggregate(b, a), false).Should().Be(ab);
        ErrorTracking.Grouping.Fingerprint.DefaultKey(Aggregate(a, b, a), false).Should().Be(ab);
        ErrorTracking.Grouping.Fingerprint.DefaultKey(Aggregate(a), false).Should().NotBe(ab);
    }

    [Test]
    public async Task Generic_exception_types_are_named_without_assembly_versions()
    {
        await using var harness = new TrackerHarness();

        var detail = await harness.DetailAsync(ErrorTracker.RecordException(new NotFoundException<Dictionary<string, int>>()));

        detail.Record.ExceptionName.Should().Be("ErrorTracking.Tests.NotFoundException<Dictionary<string, int>>");
    }

    [Test]
    public async Task Scopes_disposed_out_of_order_leave_no_stale_context()
    {
        await using var harness = new TrackerHarness();

        var outer = ErrorTracker.BeginScope().Set("outer", 1);
        var inner = ErrorTracker.BeginScope().Set("inner", 2);
        outer.Complete();
        outer.Dispose();
        inner.Complete();
        inner.Dispose();
        var hash = ErrorTracker.CaptureMessage("after both scopes");

        (await harness.DetailAsync(hash)).FirstOccurrence.Context.Should().BeEmpty();
    }

    [Test]
    public async Task A_store_returning_nothing_is_a_failure_that_is_retried()
    {
        var store = new NullReturningStore();
        using (ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.BatchSize = 1;
        }))
        {
            var first = ErrorTracker.CaptureMessage("first, while the store returns null");
            (await ErrorTracker.FlushAsync(TimeSpan.FromMilliseconds(300))).Should().BeFalse();
            store.ReturnNull = false;
            var second = ErrorTracker.CaptureMessage("second");

            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("the writer loop is still running");
            (await store.GetAsync(first!, CancellationToken.None)).Should().NotBeNull();
            (await store.GetAsync(second!, CancellationToken.None)).Should().NotBeNull();
            ErrorTracker.Statistics!.Lost.Should().Be(0);
            ErrorTracker.Statistics!.StoreFailures.Should().BeGreaterThan(0);
        }
    }

    [Test]
    public async Task Disposal_returns_even_when_the_store_ignores_cancellation()
    {
        using var release = new ManualResetEventSlim();
        var store = new DeafStore(release);
        var handle = ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
        });
        ErrorTracker.CaptureMessage("stuck forever");
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var disposing = Task.Run(handle.Dispose);
        var finished = await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromSeconds(10)));

        release.Set();
        finished.Should().Be(disposing);
    }

    private sealed class NullReturningStore : DelegatingErrorStore
    {

        public bool ReturnNull { get; set; } = true;

        public override async Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken) =>
            ReturnNull ? null! : await base.SaveAsync(occurrences, cancellationToken);
    }

    private sealed class DeafStore(ManualResetEventSlim release) : DelegatingErrorStore
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            release.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
            return Task.FromResult<IReadOnlyList<ErrorRecord>>([]);
        }
    }
}

public sealed class NotFoundException<T> : Exception
{
    public NotFoundException()
        : base("not found")
    {
    }

    public NotFoundException(string message)
        : base(message)
    {
    }

    public NotFoundException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

public sealed class CaptureBudgetTests
{
    [Test]
    public async Task One_occurrence_stays_bounded_however_much_the_application_hands_over()
    {
        await using var harness = new TrackerHarness();
        var bodies = Enumerable.Range(0, 300).ToDictionary(i => $"body{i}", _ => (object?)new string('x', 9_000));

        var hash = ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder), bodies, bodies);

        var occurrence = (await harness.DetailAsync(hash)).FirstOccurrence;
        var text = System.Text.Json.JsonSerializer.Serialize(occurrence);
        text.Length.Should().BeLessThan(1_200_000, "one occurrence keeps about a million characters of values at most");
        occurrence.Exception.Frames[^1].Variables.Should().HaveCount(300, "every name is kept even when its value is cut");
        occurrence.Exception.Frames[^1].Variables[0].Value.Text.Should().HaveLength(9_000, "what the caller hands over is rendered first");
    }
}
