using ErrorTracking.Records;

namespace ErrorTracking.Storage;

/// <summary>A change to a group's mutable fields; a <see langword="null"/> field is left as it is.</summary>
public sealed record ErrorRecordUpdate
{
    /// <summary>The new status.</summary>
    public ErrorStatus? Status { get; init; }

    /// <summary>The new notification flag.</summary>
    public bool? NotificationSent { get; init; }

    /// <summary>The new ticket flag.</summary>
    public bool? TicketRaised { get; init; }

    /// <summary>The new ticket reference.</summary>
    public string? TicketReference { get; init; }
}
