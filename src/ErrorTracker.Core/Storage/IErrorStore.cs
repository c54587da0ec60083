using ErrorTracking.Records;

namespace ErrorTracking.Storage;

/// <summary>
/// Where groups and their occurrences live: the .NET form of upstream's <c>ModelMixin</c>. Implementations must
/// be safe for concurrent use, and <see cref="SaveAsync"/> must count atomically: two processes saving the same
/// hash at once must end with both counted.
/// </summary>
public interface IErrorStore
{
    /// <summary>
    /// Stores occurrences: a new hash creates a group counting <see cref="ErrorEvent.Occurrences"/> (usually 1); a
    /// known hash adds that to the count, moves
    /// last seen, keeps the first occurrence, and turns a resolved group back to unresolved.
    /// </summary>
    /// <param name="occurrences">The occurrences, in capture order; the same hash may appear several times.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>For each occurrence, in the same order, its group as it stood right after that occurrence was counted.</returns>
    Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken);

    /// <summary>Reads a group with its first and latest occurrences.</summary>
    /// <param name="hash">The group's hash.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The group, or <see langword="null"/> when there is none with that hash.</returns>
    Task<ErrorRecordDetail?> GetAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Reads a group's most recent kept occurrences, newest first.</summary>
    /// <param name="hash">The group's hash.</param>
    /// <param name="limit">How many occurrences at most.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The occurrences; empty when there is no group with that hash.</returns>
    Task<IReadOnlyList<ErrorEvent>> ListOccurrencesAsync(string hash, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Counts occurrences per UTC day for some groups, from <paramref name="firstDay"/> to <paramref name="lastDay"/>
    /// inclusive. Counts include occurrences whose full record was not kept; days without any are left out.
    /// </summary>
    /// <param name="hashes">The groups' hashes.</param>
    /// <param name="firstDay">The first day.</param>
    /// <param name="lastDay">The last day.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One entry per group and day that had occurrences, in no particular order.</returns>
    Task<IReadOnlyList<DailyCount>> CountByDayAsync(IReadOnlyCollection<string> hashes, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken);

    /// <summary>Reads one page of groups, newest last seen first, filtered as the query says.</summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page.</returns>
    Task<ErrorPage> ListAsync(ErrorQuery query, CancellationToken cancellationToken);

    /// <summary>Changes a group's status or delivery flags.</summary>
    /// <param name="hash">The group's hash.</param>
    /// <param name="update">The fields to change; <see langword="null"/> fields stay as they are.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the group existed.</returns>
    Task<bool> UpdateAsync(string hash, ErrorRecordUpdate update, CancellationToken cancellationToken);

    /// <summary>Deletes a group and its occurrences.</summary>
    /// <param name="hash">The group's hash.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the group existed.</returns>
    Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken);
}
