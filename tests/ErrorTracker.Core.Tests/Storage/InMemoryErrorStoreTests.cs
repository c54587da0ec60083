using ErrorTracking.Storage;
using ErrorTracking.Testing.Storage;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.Tests.Storage;

public sealed class InMemoryErrorStoreTests : ErrorStoreContract
{
    protected override Task<IErrorStore> CreateStoreAsync() => Task.FromResult<IErrorStore>(new InMemoryErrorStore());

    [Test]
    public async Task Past_its_bound_the_least_recently_seen_group_goes()
    {
        var store = new InMemoryErrorStore(maxGroups: 2);
        await store.SaveAsync([Occurrence(HashOf("old"), Epoch)], CancellationToken.None);
        await store.SaveAsync([Occurrence(HashOf("newer"), Epoch.AddMinutes(1))], CancellationToken.None);

        await store.SaveAsync([Occurrence(HashOf("newest"), Epoch.AddMinutes(2))], CancellationToken.None);

        (await store.GetAsync(HashOf("old"), CancellationToken.None)).Should().BeNull();
        (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).TotalCount.Should().Be(2);
    }
}
