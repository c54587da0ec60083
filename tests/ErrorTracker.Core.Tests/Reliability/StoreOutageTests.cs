using ErrorTracking.Pipeline;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Testing;
using ErrorTracking.Testing.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ErrorTracking.Tests.Reliability;

/// <summary>
/// The outages that really happen to a store: a call that never answers and ignores its cancellation (a locked
/// SQLite file, a hung connection), a store with room for a little only (a nearly full disk), one occurrence the
/// store refuses while it takes the others (a poison batch); and the counters and log lines that describe them.
/// </summary>
[NonParallelizable]
public sealed class StoreOutageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_store_call_that_never_answers_does_not_fill_the_queue_and_what_it_held_is_stored_once_it_ends()
    {
        var store = new GatedStore();
        using (ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.QueueCapacity = 50;
            o.StoreTimeout = TimeSpan.FromMilliseconds(100);
        }))
        {
            ErrorTracker.CaptureMessage("failure 0");
            await store.Blocked.WaitAsync(Patience);

            // Ten times the queue's capacity, in steps the queue can hold, while the first call still hangs.
            for (var step = 0; step < 10; step++)
            {
                for (var i = 0; i < 50; i++)
                {
                    ErrorTracker.CaptureMessage($"failure {i % 5}");
                }

                await Eventually.HoldsAsync(() => ErrorTracker.Statistics!.QueueLength == 0, "the writer drains the queue while the call hangs");
            }

            var during = ErrorTracker.Statistics!;
            during.Dropped.Should().Be(0);
            during.Buffered.Should().Be(501);
            during.StoreFailures.Should().BeGreaterThan(0, "a call past its deadline counts as a failure");

            store.Open();
            (await ErrorTracker.FlushAsync(Patience)).Should().BeTrue();
            var groups = (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).Items;
            groups.Sum(g => g.Count).Should().Be(501, "the hung call's occurrence is stored once, when it ends, and not again");
            Identity(ErrorTracker.Statistics!).Should().Be((501L, 501L, 0L, 0L, 0L));
        }
    }

    [Test]
    public async Task A_store_with_room_for_a_little_stores_what_waits_in_pieces()
    {
        var store = new RoomyStore();
        using (ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.BatchSize = 10;
            o.Fingerprint = e => e.Message;
        }))
        {
            store.Room = 0;
            for (var i = 0; i < 30; i++)
            {
                ErrorTracker.CaptureMessage($"failure {i}");
                ErrorTracker.CaptureMessage($"failure {i}");
            }

            await Eventually.HoldsAsync(() => ErrorTracker.Statistics!.QueueLength == 0 && ErrorTracker.Statistics!.StoreFailures > 0, "the store refuses");

            // A disk freed a little: a write of more than ten rows does not fit, smaller ones do.
            store.Room = 10;
            (await ErrorTracker.FlushAsync(Patience)).Should().BeTrue("what waits is written in pieces that fit");
            (await store.ListAsync(new ErrorQuery { PageSize = 100 }, CancellationToken.None)).Items.Should().HaveCount(30).And.OnlyContain(g => g.Count == 2);
            Identity(ErrorTracker.Statistics!).Should().Be((60L, 60L, 0L, 0L, 0L));
        }
    }

    [Test]
    public async Task An_occurrence_the_store_refuses_while_it_takes_others_is_given_up_once_and_the_rest_is_stored()
    {
        var store = new PoisonRefusingStore();
        using var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(logs));
        using (ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.StoreAttempts = 2;
            o.LoggerFactory = loggers;
            o.Fingerprint = e => e.Exception.Message;
        }))
        {
            for (var i = 0; i < 10; i++)
            {
                ErrorTracker.RecordException(new InvalidOperationException(i == 4 ? "poison" : $"failure {i}"));
            }

            (await ErrorTracker.FlushAsync(Patience)).Should().BeTrue("the poison occurrence no longer holds up the rest");
            var groups = (await store.ListAsync(new ErrorQuery { PageSize = 100 }, CancellationToken.None)).Items;
            groups.Should().HaveCount(9).And.NotContain(g => g.Message == "poison");
            Identity(ErrorTracker.Statistics!).Should().Be((10L, 9L, 0L, 0L, 1L));
            var givenUp = logs.Entries.Where(e => e.Message.Contains("gave up storing", StringComparison.Ordinal)).ToList();
            givenUp.Should().ContainSingle().Which.Message.Should().Contain("password=**************").And.NotContain("hunter2");
        }
    }

    [Test]
    public async Task A_refused_occurrence_that_is_its_failures_first_in_memory_costs_its_details_not_its_count()
    {
        var store = new PoisonRefusingStore();
        using var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(logs));
        using (ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.StoreAttempts = 2;
            o.LoggerFactory = loggers;
            o.Fingerprint = _ => "one failure";
        }))
        {
            // One failure only, so no other proves the store is up; its repeats wait merged behind the refused one.
            ErrorTracker.RecordException(new InvalidOperationException("poison"));
            await Eventually.HoldsAsync(() => ErrorTracker.Statistics!.StoreFailures > 0, "the store refuses it");
            for (var i = 0; i < 5; i++)
            {
                ErrorTracker.RecordException(new InvalidOperationException($"failure {i}"));
            }

            (await ErrorTracker.FlushAsync(Patience)).Should().BeTrue("the refused first occurrence no longer holds up its failure");
            var group = (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).Items.Should().ContainSingle().Subject;
            group.Count.Should().Be(6);
            Identity(ErrorTracker.Statistics!).Should().Be((6L, 6L, 0L, 0L, 0L));
            // Logged once the store has taken the rest, which is when the flush may already return.
            await Eventually.HoldsAsync(() => logs.Entries.Any(e => e.Message.Contains("without the details of one occurrence", StringComparison.Ordinal)), "the log line");
            logs.Entries.Should().ContainSingle(e => e.Message.Contains("without the details of one occurrence", StringComparison.Ordinal));
        }
    }

    [Test]
    public async Task An_outage_is_logged_when_it_starts_at_most_once_a_minute_while_it_lasts_and_when_it_ends()
    {
        var store = new RoomyStore { Room = 0 };
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        using var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(logs));
        using (ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.LoggerFactory = loggers;
            o.TimeProvider = clock;
        }))
        {
            ErrorTracker.CaptureMessage("the first failure");
            await Eventually.HoldsAsync(() => ErrorTracker.Statistics!.StoreFailures >= 2, "retries fail");
            clock.Advance(TimeSpan.FromSeconds(61));
            ErrorTracker.CaptureMessage("a second failure");
            await Eventually.HoldsAsync(() => logs.Entries.Any(e => e.Message.Contains("still unavailable", StringComparison.Ordinal)), "a summary after a minute");

            store.Room = int.MaxValue;
            (await ErrorTracker.FlushAsync(Patience)).Should().BeTrue();
            await Eventually.HoldsAsync(() => logs.Entries.Any(e => e.Message.Contains("available again", StringComparison.Ordinal)), "the end is logged");

            var outage = logs.Entries.Where(e => e.Category.StartsWith("ErrorTracking", StringComparison.Ordinal) && e.Level >= LogLevel.Information).Select(e => e.Message).ToList();
            outage.Count(m => m.Contains("could not store", StringComparison.Ordinal)).Should().Be(1, "the start is logged once, with its cause");
            outage.Single(m => m.Contains("could not store", StringComparison.Ordinal)).Should().Contain("no room");
            outage.Count(m => m.Contains("still unavailable", StringComparison.Ordinal)).Should().Be(1);
            outage.Single(m => m.Contains("still unavailable", StringComparison.Ordinal)).Should().Contain("00:01:01").And.Contain("2 occurrence(s)");
            outage.Single(m => m.Contains("available again", StringComparison.Ordinal)).Should().Contain("2 occurrence(s) that waited were stored");
        }
    }

    private static (long Recorded, long Stored, long Buffered, long Dropped, long Lost) Identity(ErrorTrackerStatistics statistics)
    {
        (statistics.Stored + statistics.Buffered + statistics.Dropped + statistics.Lost).Should().Be(statistics.Recorded, "recorded = stored + buffered + dropped + lost");
        return (statistics.Recorded, statistics.Stored, statistics.Buffered, statistics.Dropped, statistics.Lost);
    }

    /// <summary>Its first write hangs, ignoring cancellation, until opened; then it stores what it was given.</summary>
    private sealed class GatedStore : DelegatingErrorStore
    {
        private readonly TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task Blocked => _blocked.Task;

        public void Open() => _open.TrySetResult();

        public override async Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                _blocked.TrySetResult();
                await _open.Task;
            }

            return await base.SaveAsync(occurrences, CancellationToken.None);
        }
    }

    /// <summary>Takes a write only when it fits: at most <see cref="Room"/> occurrences, as a nearly full disk.</summary>
    private sealed class RoomyStore : DelegatingErrorStore
    {
        public int Room { get; set; } = int.MaxValue;

        public override Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken) =>
            occurrences.Count > Room ? throw new IOException("database or disk is full: no room for the write") : base.SaveAsync(occurrences, cancellationToken);
    }

    /// <summary>Refuses any write holding the occurrence whose message is "poison", as a store refuses a value it cannot keep.</summary>
    private sealed class PoisonRefusingStore : DelegatingErrorStore
    {
        public override Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken) =>
            occurrences.Any(o => o.Exception.Message == "poison")
                ? throw new InvalidOperationException("value rejected by constraint (password=hunter2)")
                : base.SaveAsync(occurrences, cancellationToken);
    }
}
