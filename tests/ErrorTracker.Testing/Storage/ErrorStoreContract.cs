using ErrorTracking.Records;
using ErrorTracking.Storage;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.Testing.Storage;

/// <summary>
/// The behaviour every <see cref="IErrorStore"/> owes its users. Each store's test fixture inherits this suite and
/// says only how to make a fresh, empty store.
/// </summary>
public abstract class ErrorStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IErrorStore> CreateStoreAsync();

    /// <summary>How text comes back from this store when it must change it (for example invalid UTF-16).</summary>
    protected virtual string Stored(string text) => text;

    /// <summary>Records per thread in the concurrency test; 8 threads run at once.</summary>
    protected virtual int ConcurrentRecordsPerThread => 2_000;

    [Test]
    public async Task A_new_hash_creates_a_group_with_count_one()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("new");

        var records = await store.SaveAsync([Occurrence(hash, Epoch, "shop.example", "/orders", "GET")], None);

        records.Should().ContainSingle();
        records[0].Count.Should().Be(1);
        records[0].CreatedOn.Should().Be(Epoch);
        records[0].LastSeen.Should().Be(Epoch);
        records[0].Status.Should().Be(ErrorStatus.Unresolved);
        var detail = await store.GetAsync(hash, None);
        detail.Should().NotBeNull();
        detail!.Record.Host.Should().Be("shop.example");
        detail.Record.Path.Should().Be("/orders");
        detail.Record.Method.Should().Be("GET");
        detail.FirstOccurrence.Exception.Frames.Should().ContainSingle().Which.Variables.Should().ContainSingle();
    }

    [Test]
    public async Task Repeats_count_up_keep_created_on_and_move_last_seen()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("repeat");

        await store.SaveAsync([Occurrence(hash, Epoch, path: "/first", message: "first")], None);
        await store.SaveAsync([Occurrence(hash, Epoch.AddMinutes(1), path: "/second", message: "second")], None);
        var third = await store.SaveAsync([Occurrence(hash, Epoch.AddMinutes(2), path: "/third", message: "third")], None);

        third[0].Count.Should().Be(3);
        var detail = (await store.GetAsync(hash, None))!;
        detail.Record.Count.Should().Be(3);
        detail.Record.CreatedOn.Should().Be(Epoch);
        detail.Record.LastSeen.Should().Be(Epoch.AddMinutes(2));
        detail.Record.Path.Should().Be("/first", "the first occurrence's data is kept, as upstream does");
        detail.FirstOccurrence.Message.Should().Be("first");
        detail.LatestOccurrence.Message.Should().Be("third");
    }

    [Test]
    public async Task A_batch_reports_each_occurrence_with_its_own_count()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("batch");

        var records = await store.SaveAsync(
            [Occurrence(hash, Epoch), Occurrence(HashOf("other"), Epoch), Occurrence(hash, Epoch.AddSeconds(1)), Occurrence(hash, Epoch.AddSeconds(2))],
            None);

        records.Select(r => r.Count).Should().Equal(1, 1, 2, 3);
    }

    [Test]
    public async Task An_occurrence_standing_for_several_adds_them_all()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("merged");

        var first = await store.SaveAsync([Occurrence(hash, Epoch) with { Occurrences = 5 }], None);
        var second = await store.SaveAsync([Occurrence(hash, Epoch.AddMinutes(1)) with { Occurrences = 2 }, Occurrence(hash, Epoch.AddMinutes(2))], None);

        first[0].Count.Should().Be(5);
        second.Select(r => r.Count).Should().Equal(7, 8);
        var detail = (await store.GetAsync(hash, None))!;
        detail.Record.CreatedOn.Should().Be(Epoch);
        detail.Record.LastSeen.Should().Be(Epoch.AddMinutes(2));
        detail.FirstOccurrence.Timestamp.Should().Be(Epoch);
    }

    [Test]
    public async Task Concurrent_writers_lose_no_count()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("storm");
        var perThread = ConcurrentRecordsPerThread;

        var writers = Enumerable.Range(0, 8).Select(thread => Task.Run(async () =>
        {
            for (var i = 0; i < perThread; i++)
            {
                await store.SaveAsync([Occurrence(hash, Epoch.AddMilliseconds(i))], None);
            }
        }));
        await Task.WhenAll(writers);

        var detail = await store.GetAsync(hash, None);
        detail!.Record.Count.Should().Be(8L * perThread);
        (await store.ListAsync(new ErrorQuery { PageSize = 100 }, None)).TotalCount.Should().Be(1);
        (await store.CountByDayAsync([hash], Day(0), Day(0), None)).Should().Equal(new DailyCount(hash, Day(0), 8L * perThread));
    }

    [Test]
    public async Task Twenty_one_groups_at_five_per_page_make_five_pages()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 21; i++)
        {
            await store.SaveAsync([Occurrence(HashOf($"group {i}"), Epoch.AddMinutes(i), path: $"/page/{i}")], None);
        }

        var pages = new List<ErrorPage>();
        for (var page = 1; page <= 5; page++)
        {
            pages.Add(await store.ListAsync(new ErrorQuery { Page = page, PageSize = 5 }, None));
        }

        pages.Select(p => p.Items.Count).Should().Equal(5, 5, 5, 5, 1);
        pages.Select(p => p.HasPrevious).Should().Equal(false, true, true, true, true);
        pages.Select(p => p.HasNext).Should().Equal(true, true, true, true, false);
        pages.Should().AllSatisfy(p => p.TotalCount.Should().Be(21));
        pages[0].PageCount.Should().Be(5);
        pages[0].Items[0].Path.Should().Be("/page/20", "the newest last seen comes first");
        pages[4].Items[0].Path.Should().Be("/page/0");
        pages.SelectMany(p => p.Items).Select(r => r.Hash).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public async Task Filters_and_search_narrow_the_list()
    {
        var store = await CreateStoreAsync();
        await store.SaveAsync(
        [
            Occurrence(HashOf("a"), Epoch, "api.example", "/orders/1", "GET", "System.InvalidOperationException", "Order is closed"),
            Occurrence(HashOf("b"), Epoch.AddMinutes(1), "api.example", "/payments", "POST", "System.TimeoutException", "Gateway timed out"),
            Occurrence(HashOf("c"), Epoch.AddMinutes(2), "admin.example", "/orders/2", "POST", "System.ArgumentException", "Bad quantity"),
        ], None);

        async Task<IEnumerable<string>> Paths(ErrorQuery query) =>
            (await store.ListAsync(query, None)).Items.Select(r => r.Path);

        (await Paths(new ErrorQuery { Host = "API.example" })).Should().BeEquivalentTo("/orders/1", "/payments");
        (await Paths(new ErrorQuery { Method = "post" })).Should().BeEquivalentTo("/payments", "/orders/2");
        (await Paths(new ErrorQuery { Path = "/orders" })).Should().BeEquivalentTo("/orders/1", "/orders/2");
        (await Paths(new ErrorQuery { ExceptionName = "Timeout" })).Should().BeEquivalentTo("/payments");
        (await Paths(new ErrorQuery { Search = "quantity" })).Should().BeEquivalentTo("/orders/2");
        (await Paths(new ErrorQuery { Search = "payments" })).Should().BeEquivalentTo("/payments");
        (await Paths(new ErrorQuery { From = Epoch.AddMinutes(1) })).Should().BeEquivalentTo("/payments", "/orders/2");
        (await Paths(new ErrorQuery { To = Epoch.AddMinutes(1) })).Should().BeEquivalentTo("/orders/1");
        (await Paths(new ErrorQuery { Host = "api", Method = "GET" })).Should().BeEquivalentTo("/orders/1");
    }

    [Test]
    public async Task Status_changes_and_a_new_occurrence_reopens_a_resolved_group()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("regression");
        await store.SaveAsync([Occurrence(hash, Epoch)], None);

        (await store.UpdateAsync(hash, new ErrorRecordUpdate { Status = ErrorStatus.Resolved }, None)).Should().BeTrue();
        (await store.ListAsync(new ErrorQuery { Status = ErrorStatus.Resolved }, None)).Items.Should().ContainSingle();

        var again = await store.SaveAsync([Occurrence(hash, Epoch.AddHours(1))], None);
        again[0].Status.Should().Be(ErrorStatus.Unresolved);
        (await store.GetAsync(hash, None))!.Record.Status.Should().Be(ErrorStatus.Unresolved);
    }

    [Test]
    public async Task Delivery_flags_are_kept()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("flags");
        await store.SaveAsync([Occurrence(hash, Epoch)], None);

        await store.UpdateAsync(hash, new ErrorRecordUpdate { NotificationSent = true }, None);
        await store.UpdateAsync(hash, new ErrorRecordUpdate { TicketRaised = true }, None);

        var record = (await store.GetAsync(hash, None))!.Record;
        record.NotificationSent.Should().BeTrue();
        record.TicketRaised.Should().BeTrue();
        (await store.SaveAsync([Occurrence(hash, Epoch.AddSeconds(1))], None))[0].NotificationSent.Should().BeTrue();
        (await store.UpdateAsync(HashOf("missing"), new ErrorRecordUpdate { TicketRaised = true }, None)).Should().BeFalse();
    }

    [Test]
    public async Task A_delivery_is_claimed_once_and_without_a_quiet_period_never_again()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("claimed once");
        await store.SaveAsync([Occurrence(hash, Epoch)], None);

        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, Epoch, null, None)).Should().BeTrue();
        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, Epoch.AddDays(30), null, None)).Should().BeFalse(
            "without a quiet period a group is notified once until it is resolved");

        var record = (await store.GetAsync(hash, None))!.Record;
        record.NotificationSent.Should().BeTrue();
        record.LastNotifiedOn.Should().Be(Epoch, "a refused claim changes nothing");
    }

    [Test]
    public async Task With_a_quiet_period_a_delivery_repeats_once_the_period_has_passed_since_the_last_one()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("quiet period");
        var quiet = TimeSpan.FromHours(1);
        await store.SaveAsync([Occurrence(hash, Epoch)], None);

        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, Epoch, quiet, None)).Should().BeTrue("nothing was delivered yet");
        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, Epoch + quiet - TimeSpan.FromTicks(1), quiet, None)).Should().BeFalse();
        (await store.GetAsync(hash, None))!.Record.LastNotifiedOn.Should().Be(Epoch);
        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, Epoch + quiet, quiet, None)).Should().BeTrue("the period has passed, exactly");
        (await store.GetAsync(hash, None))!.Record.LastNotifiedOn.Should().Be(Epoch + quiet);
        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, Epoch + quiet + TimeSpan.FromMinutes(30), quiet, None)).Should().BeFalse(
            "the period counts from the latest delivery");
        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, Epoch.AddHours(5), quiet, None)).Should().BeTrue();
        (await store.GetAsync(hash, None))!.Record.LastNotifiedOn.Should().Be(Epoch.AddHours(5));
    }

    [Test]
    public async Task A_delivery_flagged_without_a_time_repeats_with_a_quiet_period_only()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("flagged by hand");
        await store.SaveAsync([Occurrence(hash, Epoch)], None);
        // Flagged with no time, as schema version 2 or an UpdateAsync leaves a group: the last delivery is long past.
        await store.UpdateAsync(hash, new ErrorRecordUpdate { NotificationSent = true }, None);

        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, Epoch, null, None)).Should().BeFalse();
        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, Epoch, TimeSpan.FromHours(1), None)).Should().BeTrue();
        (await store.GetAsync(hash, None))!.Record.LastNotifiedOn.Should().Be(Epoch);
    }

    [Test]
    public async Task Notification_and_ticket_are_claimed_independently()
    {
        var store = await CreateStoreAsync();
        var both = HashOf("both channels");
        var ticketOnly = HashOf("ticket only");
        await store.SaveAsync([Occurrence(both, Epoch), Occurrence(ticketOnly, Epoch)], None);

        (await store.TryClaimDeliveryAsync(both, DeliveryChannel.Notification, Epoch.AddMinutes(1), null, None)).Should().BeTrue();
        (await store.TryClaimDeliveryAsync(both, DeliveryChannel.Ticket, Epoch.AddMinutes(2), null, None)).Should().BeTrue(
            "a notification does not take the ticket's turn");
        (await store.TryClaimDeliveryAsync(both, DeliveryChannel.Notification, Epoch.AddMinutes(3), null, None)).Should().BeFalse();
        (await store.TryClaimDeliveryAsync(both, DeliveryChannel.Ticket, Epoch.AddMinutes(3), null, None)).Should().BeFalse();
        (await store.TryClaimDeliveryAsync(ticketOnly, DeliveryChannel.Ticket, Epoch.AddMinutes(4), null, None)).Should().BeTrue();

        (await store.GetAsync(both, None))!.Record.Should().BeEquivalentTo(
            new { NotificationSent = true, LastNotifiedOn = Epoch.AddMinutes(1), TicketRaised = true, LastTicketUpdateOn = Epoch.AddMinutes(2) });
        (await store.GetAsync(ticketOnly, None))!.Record.Should().BeEquivalentTo(
            new { NotificationSent = false, LastNotifiedOn = (DateTimeOffset?)null, TicketRaised = true, LastTicketUpdateOn = Epoch.AddMinutes(4) });
        (await store.TryClaimDeliveryAsync(ticketOnly, DeliveryChannel.Notification, Epoch.AddMinutes(5), null, None)).Should().BeTrue();
    }

    [Test]
    public async Task Resolving_re_arms_both_channels_so_that_a_regression_is_delivered()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("regression delivered");
        await store.SaveAsync([Occurrence(hash, Epoch)], None);
        await ClaimBothAsync(store, hash, Epoch, expected: true);

        (await store.UpdateAsync(hash, new ErrorRecordUpdate { Status = ErrorStatus.Resolved }, None)).Should().BeTrue();

        var resolved = (await store.GetAsync(hash, None))!.Record;
        (resolved.Status, resolved.NotificationSent, resolved.TicketRaised).Should().Be((ErrorStatus.Resolved, false, false));
        var regression = await store.SaveAsync([Occurrence(hash, Epoch.AddDays(1))], None);
        (regression[0].Status, regression[0].NotificationSent, regression[0].TicketRaised).Should().Be((ErrorStatus.Unresolved, false, false));
        await ClaimBothAsync(store, hash, Epoch.AddDays(1), expected: true);
        await ClaimBothAsync(store, hash, Epoch.AddDays(2), expected: false);
    }

    [Test]
    public async Task A_reopening_occurrence_does_not_re_arm_by_itself_and_flags_set_with_the_resolution_win()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("reopened");
        await store.SaveAsync([Occurrence(hash, Epoch)], None);
        await ClaimBothAsync(store, hash, Epoch, expected: true);

        await store.SaveAsync([Occurrence(hash, Epoch.AddMinutes(1))], None);
        await ClaimBothAsync(store, hash, Epoch.AddMinutes(1), expected: false);

        await store.UpdateAsync(hash, new ErrorRecordUpdate { Status = ErrorStatus.Resolved, NotificationSent = true }, None);
        var resolved = (await store.GetAsync(hash, None))!.Record;
        (resolved.NotificationSent, resolved.TicketRaised).Should().Be((true, false), "only the flag the update leaves alone is re-armed");
        var reopened = await store.SaveAsync([Occurrence(hash, Epoch.AddMinutes(2))], None);
        reopened[0].Status.Should().Be(ErrorStatus.Unresolved);
        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, Epoch.AddMinutes(2), null, None)).Should().BeFalse(
            "reopening the group is not what re-arms it");
        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Ticket, Epoch.AddMinutes(2), null, None)).Should().BeTrue();
    }

    [Test]
    public async Task Every_read_carries_the_delivery_state()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("delivery state");
        var created = await store.SaveAsync([Occurrence(hash, Epoch)], None);
        created[0].Should().BeEquivalentTo(new
        {
            NotificationSent = false,
            LastNotifiedOn = (DateTimeOffset?)null,
            TicketRaised = false,
            LastTicketUpdateOn = (DateTimeOffset?)null,
            TicketReference = (string?)null,
        });

        await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, Epoch.AddMinutes(1), null, None);
        await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Ticket, Epoch.AddMinutes(2), null, None);
        (await store.UpdateAsync(hash, new ErrorRecordUpdate { TicketReference = "https://tracker.example/issues/42" }, None)).Should().BeTrue();

        var expected = new
        {
            NotificationSent = true,
            LastNotifiedOn = Epoch.AddMinutes(1),
            TicketRaised = true,
            LastTicketUpdateOn = Epoch.AddMinutes(2),
            TicketReference = "https://tracker.example/issues/42",
        };
        var saved = (await store.SaveAsync([Occurrence(hash, Epoch.AddMinutes(3))], None))[0];
        var read = (await store.GetAsync(hash, None))!.Record;
        var listed = (await store.ListAsync(new ErrorQuery(), None)).Items.Should().ContainSingle().Subject;
        foreach (var record in new[] { saved, read, listed })
        {
            record.Should().BeEquivalentTo(expected);
            record.LastNotifiedOn!.Value.Offset.Should().Be(TimeSpan.Zero);
            record.LastTicketUpdateOn!.Value.Offset.Should().Be(TimeSpan.Zero);
        }
    }

    [Test]
    public async Task Claiming_an_unknown_group_fails_and_creates_nothing()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("never stored");
        await store.SaveAsync([Occurrence(HashOf("stored"), Epoch)], None);

        foreach (var channel in new[] { DeliveryChannel.Notification, DeliveryChannel.Ticket })
        {
            (await store.TryClaimDeliveryAsync(hash, channel, Epoch, null, None)).Should().BeFalse();
            (await store.TryClaimDeliveryAsync(hash, channel, Epoch, TimeSpan.FromHours(1), None)).Should().BeFalse();
        }

        (await store.GetAsync(hash, None)).Should().BeNull();
        (await store.ListAsync(new ErrorQuery(), None)).TotalCount.Should().Be(1);
    }

    [Test]
    public async Task A_ticket_reference_survives_later_saves_and_updates()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("ticket reference");
        const string reference = "it's \"OPS-7\"; --";
        await store.SaveAsync([Occurrence(hash, Epoch)], None);

        (await store.UpdateAsync(hash, new ErrorRecordUpdate { TicketReference = reference }, None)).Should().BeTrue();
        await store.SaveAsync([Occurrence(hash, Epoch.AddMinutes(1)), Occurrence(hash, Epoch.AddMinutes(2))], None);
        await store.UpdateAsync(hash, new ErrorRecordUpdate { TicketRaised = true }, None);
        await store.UpdateAsync(hash, new ErrorRecordUpdate { Status = ErrorStatus.Resolved }, None);
        var regression = await store.SaveAsync([Occurrence(hash, Epoch.AddDays(1))], None);

        regression[0].TicketReference.Should().Be(reference, "a regression is added to the ticket it already has");
        (await store.GetAsync(hash, None))!.Record.TicketReference.Should().Be(reference);
        (await store.UpdateAsync(hash, new ErrorRecordUpdate { TicketReference = "OPS-8" }, None)).Should().BeTrue();
        (await store.GetAsync(hash, None))!.Record.TicketReference.Should().Be("OPS-8");
        (await store.UpdateAsync(HashOf("missing"), new ErrorRecordUpdate { TicketReference = "OPS-9" }, None)).Should().BeFalse();
    }

    [TestCase(DeliveryChannel.Notification)]
    [TestCase(DeliveryChannel.Ticket)]
    public async Task Concurrent_claims_of_one_group_have_exactly_one_winner(DeliveryChannel channel)
    {
        var store = await CreateStoreAsync();
        var quiet = TimeSpan.FromHours(1);
        for (var round = 0; round < 5; round++)
        {
            var hash = HashOf($"claimed at once {channel} {round}");
            await store.SaveAsync([Occurrence(hash, Epoch)], None);

            // The first claim of a group, then a repeat once the quiet period is over: both are one race each.
            (await ClaimAtOnceAsync(store, hash, channel, Epoch, quiet)).Should().Be(1, "one claimer of a new group wins");
            (await ClaimAtOnceAsync(store, hash, channel, Epoch + quiet, quiet)).Should().Be(1, "one claimer of a repeat wins");
        }
    }

    /// <summary>Eight claims of <paramref name="hash"/> let go together; how many succeeded.</summary>
    private static async Task<int> ClaimAtOnceAsync(IErrorStore store, string hash, DeliveryChannel channel, DateTimeOffset now, TimeSpan repeatAfter)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claims = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await store.TryClaimDeliveryAsync(hash, channel, now, repeatAfter, None);
        })).ToList();
        start.SetResult();
        return (await Task.WhenAll(claims)).Count(claimed => claimed);
    }

    private static async Task ClaimBothAsync(IErrorStore store, string hash, DateTimeOffset now, bool expected)
    {
        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Notification, now, null, None)).Should().Be(expected, "the notification claim at {0}", now);
        (await store.TryClaimDeliveryAsync(hash, DeliveryChannel.Ticket, now, null, None)).Should().Be(expected, "the ticket claim at {0}", now);
    }

    [Test]
    public async Task Delete_removes_the_group()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("delete");
        await store.SaveAsync([Occurrence(hash, Epoch), Occurrence(hash, Epoch.AddSeconds(1))], None);

        (await store.DeleteAsync(hash, None)).Should().BeTrue();

        (await store.GetAsync(hash, None)).Should().BeNull();
        (await store.ListAsync(new ErrorQuery(), None)).TotalCount.Should().Be(0);
        (await store.DeleteAsync(hash, None)).Should().BeFalse();
        var recreated = await store.SaveAsync([Occurrence(hash, Epoch.AddSeconds(2))], None);
        recreated[0].Count.Should().Be(1, "a deleted group starts again from one");
    }

    [Test]
    public async Task Recent_occurrences_come_newest_first_up_to_the_limit()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("recent");
        await store.SaveAsync([Occurrence(hash, Epoch, message: "occurrence 0"), Occurrence(HashOf("neighbour"), Epoch, message: "neighbour")], None);
        for (var i = 1; i < 5; i++)
        {
            await store.SaveAsync([Occurrence(hash, Epoch.AddMinutes(i), message: $"occurrence {i}")], None);
        }

        (await store.ListOccurrencesAsync(hash, 3, None)).Select(o => o.Message).Should().Equal("occurrence 4", "occurrence 3", "occurrence 2");
        var all = await store.ListOccurrencesAsync(hash, 100, None);
        all.Select(o => o.Message).Should().Equal("occurrence 4", "occurrence 3", "occurrence 2", "occurrence 1", "occurrence 0");
        all[0].Timestamp.Should().Be(Epoch.AddMinutes(4));
        all[0].Exception.Frames.Should().ContainSingle().Which.Variables.Should().ContainSingle();
    }

    [Test]
    public async Task Recent_occurrences_are_the_latest_twenty_kept()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("busy");
        for (var i = 0; i < 30; i++)
        {
            await store.SaveAsync([Occurrence(hash, Epoch.AddMinutes(i), message: $"occurrence {i}")], None);
        }

        var recent = await store.ListOccurrencesAsync(hash, 20, None);

        recent.Select(o => o.Message).Should().Equal(Enumerable.Range(10, 20).Reverse().Select(i => $"occurrence {i}"));
        (await store.ListOccurrencesAsync(hash, 100, None)).Count.Should().BeLessThan(30, "only the latest are kept in full");
    }

    [Test]
    public async Task Recent_occurrences_of_an_unknown_hash_are_none_and_a_limit_below_one_is_refused()
    {
        var store = await CreateStoreAsync();
        await store.SaveAsync([Occurrence(HashOf("known"))], None);

        (await store.ListOccurrencesAsync(HashOf("unknown"), 10, None)).Should().BeEmpty();
        await store.Invoking(s => s.ListOccurrencesAsync(HashOf("known"), 0, None)).Should().ThrowAsync<ArgumentOutOfRangeException>()
            .WithParameterName("limit");
    }

    [Test]
    public async Task Occurrences_are_counted_per_utc_day_within_the_range_inclusive()
    {
        var store = await CreateStoreAsync();
        var a = HashOf("daily a");
        var b = HashOf("daily b");
        await store.SaveAsync(
        [
            Occurrence(a, Epoch),
            Occurrence(b, Epoch.AddDays(1).AddHours(12)),
            Occurrence(a, Epoch.AddDays(1).AddTicks(-1)),
        ], None);
        await store.SaveAsync([Occurrence(a, Epoch.AddDays(1)) with { Occurrences = 5 }], None);
        // 01:30 at UTC+3 on day 3 is 22:30 UTC on day 2.
        await store.SaveAsync([Occurrence(b, new DateTimeOffset(Epoch.AddDays(3).Date.AddMinutes(90), TimeSpan.FromHours(3)))], None);
        await store.SaveAsync([Occurrence(a, Epoch.AddDays(3)), Occurrence(b, Epoch.AddDays(4)), Occurrence(a, Epoch.AddDays(3).AddHours(23))], None);

        var counts = await store.CountByDayAsync([a, b, HashOf("no such group")], Day(1), Day(3), None);

        counts.Should().BeEquivalentTo(
        [
            new DailyCount(a, Day(1), 5),
            new DailyCount(a, Day(3), 2),
            new DailyCount(b, Day(1), 1),
            new DailyCount(b, Day(2), 1),
        ], "day 0 and day 4 are outside the range, and a day without occurrences has no entry");
        (await store.CountByDayAsync([a], Day(0), Day(0), None)).Should().Equal(new DailyCount(a, Day(0), 2));
        (await store.CountByDayAsync([b], Day(0), Day(9), None)).Sum(c => c.Count).Should().Be(3);
        (await store.CountByDayAsync([], Day(0), Day(9), None)).Should().BeEmpty();
    }

    [Test]
    public async Task Daily_counts_keep_growing_past_the_occurrences_kept_in_full()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("flood");
        for (var i = 0; i < 25; i++)
        {
            await store.SaveAsync([Occurrence(hash, Epoch.AddMinutes(i)), Occurrence(hash, Epoch.AddMinutes(i).AddSeconds(1))], None);
        }

        await store.SaveAsync([Occurrence(hash, Epoch.AddHours(1)) with { Occurrences = 5 }], None);

        (await store.ListOccurrencesAsync(hash, 100, None)).Count.Should().BeLessThan(50);
        (await store.CountByDayAsync([hash], Day(0), Day(0), None)).Should().Equal(new DailyCount(hash, Day(0), 55));
        (await store.GetAsync(hash, None))!.Record.Count.Should().Be(55);
    }

    [Test]
    public async Task Deleting_a_group_removes_its_daily_counts()
    {
        var store = await CreateStoreAsync();
        var deleted = HashOf("deleted daily");
        var kept = HashOf("kept daily");
        await store.SaveAsync([Occurrence(deleted, Epoch), Occurrence(deleted, Epoch.AddDays(1)), Occurrence(kept, Epoch)], None);

        await store.DeleteAsync(deleted, None);

        (await store.CountByDayAsync([deleted, kept], Day(0), Day(1), None)).Should().Equal(new DailyCount(kept, Day(0), 1));
        (await store.ListOccurrencesAsync(deleted, 10, None)).Should().BeEmpty();
        await store.SaveAsync([Occurrence(deleted, Epoch.AddHours(1))], None);
        (await store.CountByDayAsync([deleted], Day(0), Day(1), None)).Should().Equal(
            [new DailyCount(deleted, Day(0), 1)], "a group created again counts from nothing");
    }

    [Test]
    public async Task Unknown_hash_reads_as_null()
    {
        var store = await CreateStoreAsync();

        (await store.GetAsync(HashOf("nothing"), None)).Should().BeNull();
    }

    [Test]
    public async Task Invalid_pages_are_refused_with_a_clear_error()
    {
        var store = await CreateStoreAsync();

        await store.Invoking(s => s.ListAsync(new ErrorQuery { Page = 0 }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>()
            .WithParameterName("Page");
        await store.Invoking(s => s.ListAsync(new ErrorQuery { PageSize = 0 }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>()
            .WithParameterName("PageSize");
    }

    [TestCase("it's \"quoted\"")]
    [TestCase("'; DROP TABLE errors; --")]
    [TestCase("nul\0inside")]
    [TestCase("lone \ud800 surrogate")]
    [TestCase("<script>alert(1)</script>")]
    public async Task Hostile_text_stays_data(string text)
    {
        var store = await CreateStoreAsync();
        var hash = HashOf(text);

        await store.SaveAsync([Occurrence(hash, Epoch, host: text, path: text, method: "GET", message: text)], None);

        var record = (await store.GetAsync(hash, None))!.Record;
        record.Message.Should().Be(Stored(text));
        record.Path.Should().Be(Stored(text));
        (await store.ListAsync(new ErrorQuery { Path = text }, None)).Items.Should().ContainSingle();
        (await store.ListAsync(new ErrorQuery { Search = text }, None)).Items.Should().ContainSingle();
    }

    [Test]
    public async Task A_megabyte_of_text_is_stored()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("large");
        var text = new string('x', 1024 * 1024);

        await store.SaveAsync([Occurrence(hash, Epoch, message: text)], None);

        var message = (await store.GetAsync(hash, None))!.Record.Message;
        text.Should().StartWith(message);
        message.Length.Should().BeGreaterThanOrEqualTo(1000);
    }

    // Capture renders values 100 levels deep by default (MaxDepth) and follows 32 levels of inner exceptions: a
    // linked list or a JSON document that deep is an ordinary variable, and the store must take it.
    [Test]
    public async Task An_occurrence_nested_as_deep_as_capture_goes_is_stored_and_read_back()
    {
        var store = await CreateStoreAsync();
        var hash = HashOf("deep");
        var value = RecordedValue.Scalar("bottom", "string");
        for (var i = 0; i < new ErrorTracking.Configuration.ErrorTrackerOptions().MaxDepth; i++)
        {
            value = new RecordedValue { Kind = RecordedValueKind.Object, TypeName = "Node", Children = [new NamedValue("Next", value)] };
        }

        var occurrence = Occurrence(hash, Epoch);
        var exception = occurrence.Exception with { Frames = [occurrence.Exception.Frames[0] with { Variables = [new CapturedVariable("list", value, VariableOrigin.Explicit)] }] };
        for (var i = 0; i < 32; i++)
        {
            exception = occurrence.Exception with { InnerExceptions = [exception] };
        }

        await store.SaveAsync([occurrence with { Exception = exception }], None);

        var stored = (await store.GetAsync(hash, None))!.FirstOccurrence.Exception;
        var depth = 0;
        for (var inner = stored; inner.InnerExceptions.Count > 0; inner = inner.InnerExceptions[0])
        {
            depth++;
        }

        depth.Should().Be(32);
    }

    /// <summary>The UTC day <paramref name="days"/> after <see cref="TestEvents.Epoch"/>.</summary>
    protected static DateOnly Day(int days) => DateOnly.FromDateTime(Epoch.UtcDateTime).AddDays(days);
}
