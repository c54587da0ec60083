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
}
