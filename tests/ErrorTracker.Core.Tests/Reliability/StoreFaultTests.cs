using System.Diagnostics;
using ErrorTracking.Storage;
using ErrorTracking.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ErrorTracking.Tests.Reliability;

/// <summary>
/// Faults injected into a real in-memory store (<see cref="ControllableStore"/>): what the tracker keeps, what it
/// retries and what it gives up, counted exactly. Faults already covered elsewhere: a store failing its next writes
/// and a long outage (<c>PipelineTests</c>), a store stuck past shutdown (<c>PipelineTests</c>,
/// <c>ReviewRegressionTests.Disposal_returns_even_when_the_store_ignores_cancellation</c>), a store answering
/// nothing (<c>ReviewRegressionTests</c>).
/// </summary>
public sealed class StoreFaultTests
{
    private static readonly string[] Kinds = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];

    [Test]
    public async Task A_store_failing_every_third_call_loses_nothing_and_every_failed_batch_is_retried()
    {
        var store = new ControllableStore { FailEvery = 3 };
        using (ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.BatchSize = 10;
        }))
        {
            for (var i = 0; i < 300; i++)
            {
                ErrorTracker.CaptureMessage($"failure {Kinds[i % 3]}").Should().NotBeNull("recording never fails because the store does");
            }

            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(20))).Should().BeTrue("every failed write is retried until it succeeds");

            var groups = (await store.ListAsync(new ErrorQuery { PageSize = 100 }, CancellationToken.None)).Items;
            groups.Select(g => (g.Message, g.Count)).Should().BeEquivalentTo(
                [("failure alpha", 100L), ("failure bravo", 100L), ("failure charlie", 100L)], "each failed batch was stored by a retry, counted once");
            var statistics = ErrorTracker.Statistics!;
            store.FailedCalls.Should().BeGreaterThan(0, "the fault fired");
            statistics.StoreFailures.Should().Be(store.FailedCalls, "each failed write is counted once");
            statistics.Stored.Should().Be(300);
            (statistics.Recorded, statistics.Dropped, statistics.Lost, statistics.Buffered).Should().Be((300L, 0L, 0L, 0L));
        }
    }

    [Test]
    public async Task A_store_whose_own_command_timeout_fires_is_retried_not_taken_for_shutdown()
    {
        var store = new ControllableStore();
        store.TimeOutNext(2, TimeSpan.FromMilliseconds(50));
        using (ErrorTracker.Init(o => o.Store = store))
        {
            var watch = Stopwatch.StartNew();
            var hash = ErrorTracker.CaptureMessage("slow database");
            ErrorTracker.CaptureMessage("slow database");
            watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "recording never waits for the store");

            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(20))).Should().BeTrue("a timed-out write is a failure like any other and is retried");

            (await store.GetAsync(hash!, CancellationToken.None))!.Record.Count.Should().Be(2);
            var statistics = ErrorTracker.Statistics!;
            statistics.StoreFailures.Should().Be(2, "both timed-out writes count as failures");
            (statistics.Stored, statistics.Lost, statistics.Dropped).Should().Be((2L, 0L, 0L));
        }
    }

    [Test]
    public async Task A_store_that_fails_during_the_flush_at_shutdown_is_retried_within_the_shutdown_timeout()
    {
        var store = new ControllableStore();
        store.Hold();
        var handle = ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.ShutdownTimeout = TimeSpan.FromSeconds(10);
        });
        var tracker = ErrorTracker.Current!;
        ErrorTracker.CaptureMessage("first");
        await store.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var text in new[] { "second", "third", "fourth" })
        {
            ErrorTracker.CaptureMessage(text);
        }

        // The write in progress and the first retry fail; the shutdown that started meanwhile keeps trying.
        store.FailNext(2);
        var stopping = Task.Run(handle.Dispose);
        store.Release();
        (await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(20)))).Should().Be(stopping);

        var statistics = tracker.Statistics;
        statistics.StoreFailures.Should().Be(2);
        (statistics.Stored, statistics.Lost, statistics.Dropped).Should().Be((4L, 0L, 0L), "nothing recorded before shutdown is lost when the store recovers in time");
        (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).Items.Select(r => r.Message)
            .Should().BeEquivalentTo("first", "second", "third", "fourth");
    }

    /// <summary>
    /// The outage lasts ten seconds on a fake clock that the recording threads move: the store refuses every write
    /// until the clock passes the end of the outage, which happens once the last occurrence is recorded. The
    /// writer's back-off runs on real time (it takes no <see cref="TimeProvider"/>), so its timing varies; the
    /// outcome must not. 16,000 occurrences through a queue of 1,000, kept from overflowing: the queue must keep draining
    /// into the merged outage buffer while the writer backs off, or it fills and occurrences are dropped however few
    /// distinct failures there are.
    /// </summary>
    [Test]
    public async Task Sixteen_threads_recording_through_a_ten_second_outage_lose_nothing()
    {
        const int threads = 16;
        const int perThread = 1_000;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var outageEnds = clock.GetUtcNow().AddSeconds(10);
        var store = new ControllableStore { DownWhile = () => clock.GetUtcNow() < outageEnds };
        using (ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.TimeProvider = clock;
            o.SourceContextLines = 0;
            o.QueueCapacity = 1_000;
        }))
        {
            var recorded = 0;
            var tick = TimeSpan.FromSeconds(10.0 / (threads * perThread)) + TimeSpan.FromTicks(1);
            // Threads of their own, as a server's request threads: the writer's loop keeps the thread pool.
            var workers = Enumerable.Range(0, threads).Select(thread => Task.Factory.StartNew(() =>
            {
                for (var i = 0; i < perThread; i++)
                {
                    // The property under test is the outage buffer, not how fast this machine's writer drains a burst:
                    // a queue overrun drops by design (counted, and reported by the storm benchmark), so the recording
                    // threads never let it fill, however busy the machine is.
                    var deadline = DateTime.UtcNow.AddSeconds(20);
                    while (ErrorTracker.Statistics!.QueueLength > 500 && DateTime.UtcNow < deadline)
                    {
                        Thread.Sleep(1);
                    }

                    ErrorTracker.CaptureMessage($"failure {Kinds[(thread + i) % Kinds.Length]}").Should().NotBeNull();
                    if (Interlocked.Increment(ref recorded) % 100 == 0)
                    {
                        clock.Advance(tick * 100);
                    }
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            await Task.WhenAll(workers);
            if (clock.GetUtcNow() < outageEnds)
            {
                clock.SetUtcNow(outageEnds);
            }

            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("everything waiting is written once the store is back");

            store.FailedCalls.Should().BeGreaterThan(0, "the store really was down while the threads recorded");
            var groups = (await store.ListAsync(new ErrorQuery { PageSize = 100 }, CancellationToken.None)).Items;
            groups.Should().HaveCount(Kinds.Length);
            groups.Should().AllSatisfy(g => g.Count.Should().Be(threads * perThread / Kinds.Length, $"group '{g.Message}' is counted exactly"));
            var statistics = ErrorTracker.Statistics!;
            (statistics.Recorded, statistics.Stored, statistics.Dropped, statistics.Lost, statistics.Buffered)
                .Should().Be(((long)threads * perThread, (long)threads * perThread, 0L, 0L, 0L));
        }
    }
}
