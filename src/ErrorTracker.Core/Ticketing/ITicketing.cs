using ErrorTracking.Records;

namespace ErrorTracking.Ticketing;

/// <summary>
/// Raises a ticket in a bug tracker for a stored failure: the .NET form of upstream's <c>TicketingMixin</c>.
/// Called in the background after the occurrence was stored, isolated from recording and from other ticketing.
/// </summary>
public interface ITicketing
{
    /// <summary>Raises a ticket.</summary>
    /// <param name="record">The group, as it stood after this occurrence was counted.</param>
    /// <param name="occurrence">The occurrence, masked.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the ticket was raised.</returns>
    Task RaiseTicketAsync(ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken);
}
