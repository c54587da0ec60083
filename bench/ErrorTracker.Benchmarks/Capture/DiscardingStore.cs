using ErrorTracking.Records;
using ErrorTracking.Storage;

namespace ErrorTracking.Benchmarks.Capture;

/// <summary>
/// A store that keeps nothing but the last occurrence and a count: the counterpart of the discarding Sentry transport,
/// so both sides pay for capture and for their own background queue, and neither for storage or the network.
/// </summary>
internal sealed class DiscardingStore : IErrorStore
{
    private long _saved;

    public long Saved => Interlocked.Read(ref _saved);

    public ErrorEvent? Last { get; private set; }

    public Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _saved, occurrences.Count);
        Last = occurrences.Count > 0 ? occurrences[^1] : Last;
        // The writer wants one record per occurrence back, as a real store returns the group each was merged into.
        var records = new ErrorRecord[occurrences.Count];
        for (var i = 0; i < records.Length; i++)
        {
            var occurrence = occurrences[i];
            records[i] = new ErrorRecord
            {
                Hash = occurrence.Hash,
                ExceptionName = occurrence.ExceptionType,
                Message = occurrence.Message,
                Count = 1,
                CreatedOn = occurrence.Timestamp,
                LastSeen = occurrence.Timestamp,
            };
        }

        return Task.FromResult<IReadOnlyList<ErrorRecord>>(records);
    }

    public Task<ErrorRecordDetail?> GetAsync(string hash, CancellationToken cancellationToken) => Task.FromResult<ErrorRecordDetail?>(null);

    public Task<IReadOnlyList<ErrorEvent>> ListOccurrencesAsync(string hash, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ErrorEvent>>([]);

    public Task<IReadOnlyList<DailyCount>> CountByDayAsync(IReadOnlyCollection<string> hashes, DateOnly firstDay, DateOnly lastDay,
        CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DailyCount>>([]);

    public Task<ErrorPage> ListAsync(ErrorQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(new ErrorPage([], query.Page, query.PageSize, 0));

    public Task<bool> TryClaimDeliveryAsync(string hash, DeliveryChannel channel, DateTimeOffset now, TimeSpan? repeatAfter,
        CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<bool> UpdateAsync(string hash, ErrorRecordUpdate update, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken) => Task.FromResult(false);
}
