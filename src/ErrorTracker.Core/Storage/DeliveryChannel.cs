namespace ErrorTracking.Storage;

/// <summary>What a delivery claim is for: each channel keeps its own state on the group.</summary>
public enum DeliveryChannel
{
    /// <summary>Notifications (the group's <c>NotificationSent</c> and <c>LastNotifiedOn</c>).</summary>
    Notification,

    /// <summary>Ticketing (the group's <c>TicketRaised</c> and <c>LastTicketUpdateOn</c>).</summary>
    Ticket,
}
