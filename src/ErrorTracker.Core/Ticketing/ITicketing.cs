using ErrorTracking.Records;

namespace ErrorTracking.Ticketing;

/// <summary>
/// Raises bugs or updates tickets in a tracker for stored failures: the .NET form of upstream's
/// <c>TicketingMixin</c>, with the update its documentation promised. A new group gets a ticket, whose reference is
/// kept on the group; a recurrence adds to that ticket (a comment) instead of opening a duplicate. Called in the
/// background after the occurrence was stored, with retries, isolated from recording and from other ticketing; a
/// <see cref="Notification.DeliveryRefusedException"/> says another attempt would be refused again, and is not retried.
/// </summary>
public interface ITicketing
{
    /// <summary>A short name for this ticketing, unique among those configured: it keys the stored reference.</summary>
    string Name { get; }

    /// <summary>Opens a ticket for a group.</summary>
    /// <param name="record">The group, as it stood after this occurrence was counted.</param>
    /// <param name="occurrence">The occurrence, masked.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The ticket's reference (an issue number or address), stored on the group for later updates.</returns>
    Task<string> RaiseTicketAsync(ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken);

    /// <summary>Adds a recurrence (or a regression) to the group's ticket, as a comment.</summary>
    /// <param name="reference">The reference <see cref="RaiseTicketAsync"/> returned.</param>
    /// <param name="record">The group, as it stood after this occurrence was counted.</param>
    /// <param name="occurrence">The occurrence, masked.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the ticket was updated.</returns>
    Task UpdateTicketAsync(string reference, ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken);
}
