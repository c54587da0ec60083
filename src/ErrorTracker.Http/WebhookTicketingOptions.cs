namespace ErrorTracking.Http;

/// <summary>Where <see cref="WebhookTicketing"/> creates and updates tickets; bound from <c>ErrorTracker:WebhookTicketing</c>.</summary>
public sealed class WebhookTicketingOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "ErrorTracker:WebhookTicketing";

    /// <summary>The absolute http or https address a new group's ticket is POSTed to. Required.</summary>
    public Uri? CreateUrl { get; set; }

    /// <summary>
    /// The address a recurrence is POSTed to, with <c>{reference}</c> where the ticket's reference goes
    /// (<c>https://tickets.example.com/api/tickets/{reference}/comments</c>). Required.
    /// </summary>
    public string? UpdateUrl { get; set; }

    /// <summary>
    /// The property of the create answer's JSON object that holds the ticket's reference, a string or a number;
    /// dots reach into nested objects (<c>ticket.id</c>). Default: <c>id</c>.
    /// </summary>
    public string ReferenceProperty { get; set; } = "id";

    /// <summary>Headers sent with every request, such as a shared secret; their values are never logged nor quoted in errors. Default: none.</summary>
    public IDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a request may take, answer included. Default: 10 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
