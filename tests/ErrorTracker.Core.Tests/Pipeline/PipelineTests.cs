using ErrorTracking.Configuration;
using ErrorTracking.Tests.Grouping;
using ErrorTracking.Storage;
using ErrorTracking.Tests.Support;

namespace ErrorTracking.Tests.Pipeline;

public sealed class PipelineTests
{
    [Test]
    public async Task A_full_queue_drops_the_newest_and_counts_it_without_blocking()
    {
        var store = new ControllableStore();
        store.Hold();
        using (ErrorTracker.Init(o => Configure(o, store, QueueFullMode.DropNewest)))
        {
            var first = ErrorTracker.CaptureMessage("message 0");
            await store.Entered.WaitAsync(TimeSpan.FromSeconds(10));
            for (var i = 1; i < 20; i++)
            {
                ErrorTracker.CaptureMessage($"message {(char)('a' + i)}").Should().NotBeNull("recording returns at once even when the queue is full");
            }

            var held = ErrorTracker.Statistics!;
            held.Dropped.Should().Be(14);
            held.Recorded.Should().Be(20, "a dropped occurrence was recorded too: recorded = stored + buffered + dropped + lost");
            held.QueueLength.Should().Be(5);
            held.Buffered.Should().Be(6, "the five queued and the one in the store call wait");

            store.Release();
            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
            var kept = (await store.ListAsync(new ErrorQuery { PageSize = 100 }, CancellationToken.None)).Items.Select(r => r.Message);
            kept.Should().BeEquivalentTo("message 0", "message b", "message c", "message d", "message e", "message f");
            ErrorTracker.Statistics!.Stored.Should().Be(6);
        }
    }

    [Test]
    public async Task A_full_queue_can_drop_the_oldest_instead()
    {
        var store = new ControllableStore();
        store.Hold();
        using (ErrorTracker.Init(o => Configure(o, store, QueueFullMode.DropOldest)))
        {
            ErrorTracker.CaptureMessage("message 0");
            await store.Entered.WaitAsync(TimeSpan.FromSeconds(10));
            for (var i = 1; i < 20; i++)
            {
                ErrorTracker.CaptureMessage($"message {(char)('a' + i)}");
            }

            ErrorTracker.Statistics!.Dropped.Should().Be(14);
            store.Release();
            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
            var kept = (await store.ListAsync(new ErrorQuery { PageSize = 100 }, CancellationToken.None)).Items.Select(r => r.Message);
            kept.Should().BeEquivalentTo("message 0", "message p", "message q", "message r", "message s", "message t");
        }
    }

    [Test]
    public async Task A_failing_store_is_retried_and_recording_never_throws()
    {
        var store = new ControllableStore();
        store.FailNext(2);
        using (ErrorTracker.Init(o => o.Store = store))
        {
            var hash = ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));

            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
            (await store.GetAsync(hash!, CancellationToken.None))!.Record.Count.Should().Be(1);
            ErrorTracker.Statistics!.StoreFailures.Should().Be(2);
            ErrorTracker.Statistics!.Lost.Should().Be(0);
        }
    }

    [Test]
    public async Task During_an_outage_recording_goes_on_and_nothing_is_lost_when_the_store_returns()
    {
        var store = new ControllableStore { Down = true };
        using (ErrorTracker.Init(o => o.Store = store))
        {
            var threads = Enumerable.Range(0, 4).Select(thread => Task.Run(() =>
            {
                for (var i = 0; i < 2_500; i++)
                {
                    ErrorTracker.RecordException(Failures.Catch(i % 2 == 0 ? Failures.PlaceOrder : Shapes.Checkout));
                }
            }));
            await Task.WhenAll(threads);

            (await ErrorTracker.FlushAsync(TimeSpan.FromMilliseconds(300))).Should().BeFalse("the store is down");
            var during = ErrorTracker.Statistics!;
            during.StoreFailures.Should().BeGreaterThan(0);
            during.Dropped.Should().Be(0);
            during.Lost.Should().Be(0);

            store.Down = false;
            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();

            var groups = (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).Items;
            groups.Should().HaveCount(2);
            groups.Sum(g => g.Count).Should().Be(10_000);
            store.LargestBatch.Should().BeLessThanOrEqualTo(100, "repeats wait merged: two failures make at most four stored entries, and the queue's batches stay at 100");
            ErrorTracker.Statistics!.Buffered.Should().Be(0);
        }
    }

    [Test]
    public async Task An_outage_costs_memory_per_distinct_failure_not_per_occurrence()
    {
        var store = new ControllableStore { Down = true };
        using (ErrorTracker.Init(o => o.Store = store))
        {
            for (var i = 0; i < 3_000; i++)
            {
                ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
            }

            // The writer keeps draining the queue into the merged buffer.
            await WaitUntilAsync(() => ErrorTracker.Statistics!.QueueLength == 0);
            ErrorTracker.Statistics!.Buffered.Should().Be(3_000);

            store.Down = false;
            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
            var detail = (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).Items.Should().ContainSingle().Subject;
            detail.Count.Should().Be(3_000);
            store.LargestBatch.Should().Be(2, "one failure waits as its first and its latest occurrence");
        }
    }

    [Test]
    public async Task A_backlog_is_written_as_each_failures_first_and_latest_occurrence_with_exact_counts()
    {
        var store = new ControllableStore();
        store.Hold();
        using (ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.Fingerprint = e => e.Message.Split(' ')[0];
        }))
        {
            ErrorTracker.RecordException(new InvalidOperationException("warm-up"));
            await store.Entered.WaitAsync(TimeSpan.FromSeconds(10));

            // 900 occurrences of three failures queue up behind a slow write, as in a storm.
            string[] kinds = ["alpha", "beta", "gamma"];
            for (var i = 0; i < 900; i++)
            {
                ErrorTracker.RecordException(new InvalidOperationException($"{kinds[i % 3]} {i}"));
            }

            store.Release();
            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();

            store.Saved.Should().HaveCount(1 + 3 * 2, "the backlog is written as each failure's first and latest occurrence, not as 900 rows");
            var groups = (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).Items;
            groups.Select(g => (g.Message.Split(' ')[0], g.Count)).Should().BeEquivalentTo([("warm-up", 1), ("alpha", 300), ("beta", 300), ("gamma", 300)]);
            var alpha = (await store.GetAsync(groups.Single(g => g.Message.StartsWith("alpha", StringComparison.Ordinal)).Hash, CancellationToken.None))!;
            (alpha.FirstOccurrence.Message, alpha.LatestOccurrence.Message).Should().Be(("alpha 0", "alpha 897"));
            var statistics = ErrorTracker.Statistics!;
            (statistics.Stored, statistics.Dropped, statistics.Buffered).Should().Be((901L, 0L, 0L));
        }
    }

    [Test]
    public async Task Past_the_buffer_bound_the_failure_with_the_fewest_occurrences_is_dropped_and_counted()
    {
        var store = new ControllableStore { Down = true };
        using (ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.MaxBufferedGroups = 3;
            o.BatchSize = 1;
        }))
        {
            // alpha is the oldest and the most frequent: dropping the oldest would lose its three occurrences.
            foreach (var text in new[] { "alpha", "alpha", "alpha", "bravo", "charlie", "charlie", "delta", "echo", "echo" })
            {
                ErrorTracker.CaptureMessage(text);
            }

            await WaitUntilAsync(() => ErrorTracker.Statistics!.Dropped == 2);
            store.Down = false;
            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();

            (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).Items.Select(r => (r.Message, r.Count))
                .Should().BeEquivalentTo([("alpha", 3), ("charlie", 2), ("echo", 2)], "bravo and delta, one occurrence each, went");
            var statistics = ErrorTracker.Statistics!;
            (statistics.Recorded, statistics.Stored, statistics.Dropped, statistics.Buffered, statistics.Lost).Should().Be((9L, 7L, 2L, 0L, 0L));
        }
    }

    [Test]
    public async Task What_an_outage_still_holds_at_shutdown_is_reported_lost()
    {
        var store = new ControllableStore { Down = true };
        var handle = ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(500);
        });
        var tracker = ErrorTracker.Current!;
        ErrorTracker.CaptureMessage("never stored");
        ErrorTracker.CaptureMessage("never stored either");
        await WaitUntilAsync(() => tracker.Statistics.Buffered == 2);

        handle.Dispose();

        tracker.Statistics.Lost.Should().Be(2);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold soon");
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task Flush_times_out_while_the_store_is_stuck()
    {
        var store = new ControllableStore();
        store.Hold();
        using (ErrorTracker.Init(o => o.Store = store))
        {
            ErrorTracker.CaptureMessage("stuck");
            await store.Entered.WaitAsync(TimeSpan.FromSeconds(10));

            (await ErrorTracker.FlushAsync(TimeSpan.FromMilliseconds(100))).Should().BeFalse();

            store.Release();
            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        }
    }

    [Test]
    public async Task Shutdown_gives_up_after_its_timeout_and_counts_what_was_lost()
    {
        var store = new ControllableStore();
        store.Hold();
        var handle = ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
            o.BatchSize = 1;
        });
        var tracker = ErrorTracker.Current!;
        ErrorTracker.CaptureMessage("first");
        await store.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        ErrorTracker.CaptureMessage("second");

        var stopping = Task.Run(handle.Dispose);
        (await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(10)))).Should().Be(stopping, "disposal must not hang on a stuck store");

        tracker.Statistics.Lost.Should().Be(2);
    }

    [Test]
    public async Task Many_threads_record_at_once_without_losing_a_count()
    {
        using (ErrorTracker.Init())
        {
            var threads = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                for (var i = 0; i < 1_000; i++)
                {
                    ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
                }
            }));
            await Task.WhenAll(threads);

            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
            var store = ((ErrorTrackerEngine)ErrorTracker.Current!).Store;
            var page = await store.ListAsync(new ErrorQuery(), CancellationToken.None);
            page.Items.Should().ContainSingle().Which.Count.Should().Be(8_000);
            ErrorTracker.Statistics!.Dropped.Should().Be(0);
        }
    }

    private static void Configure(ErrorTrackerOptions options, IErrorStore store, QueueFullMode mode)
    {
        options.Store = store;
        options.QueueCapacity = 5;
        options.BatchSize = 1;
        options.QueueFullMode = mode;
        // A store call that never ends, so the queue fills: what these tests are about.
        options.StoreTimeout = Timeout.InfiniteTimeSpan;
    }
}
