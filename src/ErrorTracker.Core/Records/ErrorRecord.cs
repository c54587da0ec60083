namespace ErrorTracking.Records;

/// <summary>A group of occurrences sharing one hash: the stored row, as upstream's, with a status.</summary>
public sealed record ErrorRecord
{
    /// <summary>The grouping hash (primary key).</summary>
    public required string Hash { get; init; }

    /// <summary>The full type name of the top-level exception.</summary>
    public required string ExceptionName { get; init; }

    /// <summary>The message of the first occurrence, masked.</summary>
    public required string Message { get; init; }

    /// <summary>The first occurrence's host (empty outside a request).</summary>
    public string Host { get; init; } = "";

    /// <summary>The first occurrence's path (empty outside a request).</summary>
    public string Path { get; init; } = "";

    /// <summary>The first occurrence's method (empty outside a request).</summary>
    public string Method { get; init; } = "";

    /// <summary>The application that recorded the group.</summary>
    public string? Application { get; init; }

    /// <summary>How many occurrences the group has had.</summary>
    public required long Count { get; init; }

    /// <summary>When the first occurrence was captured (UTC).</summary>
    public required DateTimeOffset CreatedOn { get; init; }

    /// <summary>When the latest occurrence was captured (UTC).</summary>
    public required DateTimeOffset LastSeen { get; init; }

    /// <summary>The triage state.</summary>
    public ErrorStatus Status { get; init; } = ErrorStatus.Unresolved;

    /// <summary>Whether a notification has been sent for the group since it was created or last resolved.</summary>
    public bool NotificationSent { get; init; }

    /// <summary>Whether a ticket has been raised or updated for the group since it was created or last resolved.</summary>
    public bool TicketRaised { get; init; }

    /// <summary>When a notification was last sent for the group (UTC), if ever.</summary>
    public DateTimeOffset? LastNotifiedOn { get; init; }

    /// <summary>When the group's ticket was last raised or updated (UTC), if ever.</summary>
    public DateTimeOffset? LastTicketUpdateOn { get; init; }

    /// <summary>What the ticketing returned for the group's ticket (an issue number or address), if one was raised.</summary>
    public string? TicketReference { get; init; }
}
