using ErrorTracking.Records;

namespace ErrorTracking.Storage;

/// <summary>A row of the groups table as Dapper reads it; times are UTC ticks.</summary>
internal sealed class GroupRow
{
    public string Hash { get; set; } = "";

    public string ExceptionName { get; set; } = "";

    public string Message { get; set; } = "";

    public string Host { get; set; } = "";

    public string Path { get; set; } = "";

    public string Method { get; set; } = "";

    public string? Application { get; set; }

    public long Count { get; set; }

    public long CreatedOn { get; set; }

    public long LastSeen { get; set; }

    public int Status { get; set; }

    public bool NotificationSent { get; set; }

    public bool TicketRaised { get; set; }

    public long? LastNotifiedAt { get; set; }

    public long? LastTicketUpdateAt { get; set; }

    public string? TicketReference { get; set; }

    public ErrorRecord ToRecord() => new()
    {
        Hash = Hash,
        ExceptionName = ExceptionName,
        Message = Message,
        Host = Host,
        Path = Path,
        Method = Method,
        Application = Application,
        Count = Count,
        CreatedOn = new DateTimeOffset(CreatedOn, TimeSpan.Zero),
        LastSeen = new DateTimeOffset(LastSeen, TimeSpan.Zero),
        Status = (ErrorStatus)Status,
        NotificationSent = NotificationSent,
        TicketRaised = TicketRaised,
        LastNotifiedOn = Utc(LastNotifiedAt),
        LastTicketUpdateOn = Utc(LastTicketUpdateAt),
        TicketReference = TicketReference,
    };

    private static DateTimeOffset? Utc(long? ticks) => ticks is { } value ? new DateTimeOffset(value, TimeSpan.Zero) : null;
}
