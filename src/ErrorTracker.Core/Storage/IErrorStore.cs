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
    /// <param name="occurrences">
    /// The occurrences, each failure's in capture order (merged ones come grouped by failure); the same hash may
    /// appear several times.
    /// </param>
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

    /// <summary>
    /// Takes, atomically, the right to notify about a group (or to raise or update its ticket) now. It succeeds
    /// when nothing was delivered on <paramref name="channel"/> since the group was created or last resolved, or,
    /// with <paramref name="repeatAfter"/>, when the last delivery is at least that old; a success marks the channel
    /// delivered at <paramref name="now"/>. Several processes sharing the store get one success between them, which
    /// is what keeps two instances of an application from sending the same mail.
    /// </summary>
    /// <param name="hash">The group's hash.</param>
    /// <param name="channel">Notification or ticket.</param>
    /// <param name="now">The time of the delivery.</param>
    /// <param name="repeatAfter">How old the last delivery must be to deliver again; <see langword="null"/> for never.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when this caller may deliver; <see langword="false"/> otherwise, or when there is no such group.</returns>
    Task<bool> TryClaimDeliveryAsync(string hash, DeliveryChannel channel, DateTimeOffset now, TimeSpan? repeatAfter, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a group's status, delivery flags or ticket reference. Resolving a group also re-arms both delivery
    /// channels (<see cref="ErrorRecord.NotificationSent"/> and <see cref="ErrorRecord.TicketRaised"/> become
    /// <see langword="false"/>), so that its next occurrence, a regression, is announced.
    /// </summary>
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
