using ErrorTracking.Records;
using ErrorTracking.Storage;

namespace ErrorTracking.Testing.Storage;

/// <summary>
/// A store that hands every call to another (a fresh in-memory store unless one is given): the base of the tests'
/// stores that change one or two operations (a write that fails, hangs or logs) and keep the rest real.
/// </summary>
public abstract class DelegatingErrorStore(IErrorStore? inner = null) : IErrorStore
{
    /// <summary>The store the calls go to.</summary>
    protected IErrorStore Inner { get; } = inner ?? new InMemoryErrorStore();

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken) =>
        Inner.SaveAsync(occurrences, cancellationToken);

    /// <inheritdoc />
    public virtual Task<ErrorRecordDetail?> GetAsync(string hash, CancellationToken cancellationToken) => Inner.GetAsync(hash, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<ErrorEvent>> ListOccurrencesAsync(string hash, int limit, CancellationToken cancellationToken) =>
        Inner.ListOccurrencesAsync(hash, limit, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<DailyCount>> CountByDayAsync(IReadOnlyCollection<string> hashes, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken) =>
        Inner.CountByDayAsync(hashes, firstDay, lastDay, cancellationToken);

    /// <inheritdoc />
    public virtual Task<ErrorPage> ListAsync(ErrorQuery query, CancellationToken cancellationToken) => Inner.ListAsync(query, cancellationToken);

    /// <inheritdoc />
    public virtual Task<bool> UpdateAsync(string hash, ErrorRecordUpdate update, CancellationToken cancellationToken) =>
        Inner.UpdateAsync(hash, update, cancellationToken);

    /// <inheritdoc />
    public virtual Task<bool> TryClaimDeliveryAsync(string hash, DeliveryChannel channel, DateTimeOffset now, TimeSpan? repeatAfter, CancellationToken cancellationToken) =>
        Inner.TryClaimDeliveryAsync(hash, channel, now, repeatAfter, cancellationToken);

    /// <inheritdoc />
    public virtual Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken) => Inner.DeleteAsync(hash, cancellationToken);
}
