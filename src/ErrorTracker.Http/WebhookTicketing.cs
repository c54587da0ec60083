using System.Text.Json;
using ErrorTracking.Configuration;
using ErrorTracking.Http.Content;
using ErrorTracking.Http.Delivery;
using ErrorTracking.Notification;
using ErrorTracking.Records;
using ErrorTracking.Ticketing;
using Microsoft.Extensions.Options;

namespace ErrorTracking.Http;

/// <summary>
/// Ticketing through any JSON API: a new group is POSTed to a create address, whose JSON answer holds the
/// ticket's reference; a recurrence is POSTed to an update address built from that reference. Throws on a
/// failure; the tracker retries and logs it.
/// </summary>
public sealed class WebhookTicketing : ITicketing
{
    /// <summary>The name of the <see cref="HttpClient"/> this ticketing uses, to add handlers (a proxy, certificates) to it.</summary>
    public const string HttpClientName = "ErrorTracker.WebhookTicketing";

    /// <summary>What <see cref="WebhookTicketingOptions.UpdateUrl"/> holds where the ticket's reference goes.</summary>
    public const string ReferencePlaceholder = "{reference}";

    private readonly WebhookTicketingOptions _options;
    private readonly IOptions<ErrorTrackerOptions> _tracker;
    private readonly Uri _create;
    private readonly string[] _referencePath;
    private readonly JsonEndpoint _endpoint;

    /// <summary>Creates the ticketing; the options are validated here at the latest.</summary>
    /// <param name="clients">The factory of the named client.</param>
    /// <param name="options">The options.</param>
    /// <param name="tracker">The tracker's options, for the dashboard's address.</param>
    public WebhookTicketing(IHttpClientFactory clients, IOptions<WebhookTicketingOptions> options, IOptions<ErrorTrackerOptions> tracker)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tracker);
        _options = options.Value;
        _tracker = tracker;
        _create = _options.CreateUrl ?? throw new OptionsValidationException(nameof(WebhookTicketingOptions), typeof(WebhookTicketingOptions), [$"{WebhookTicketingOptions.SectionName}:CreateUrl is required."]);
        _referencePath = _options.ReferenceProperty.Split('.');
        _endpoint = new JsonEndpoint(clients, HttpClientName, "The ticket webhook", _options.Headers);
    }

    /// <inheritdoc />
    public string Name => "webhook";

    /// <inheritdoc />
    public async Task<string> RaiseTicketAsync(ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(occurrence);
        var link = Link(record);
        var ticket = new TicketRaisedPayload(
            TicketText.Title(occurrence),
            TicketText.Raised(record, occurrence, link, TextFormat.Plain),
            link,
            GroupPayload.From(record),
            OccurrencePayload.From(occurrence));
        const string operation = "create a ticket";
        var answer = await _endpoint.PostForJsonAsync(_create, ticket, PayloadJson.Default.TicketRaisedPayload, operation, cancellationToken).ConfigureAwait(false);
        return Reference(answer) ?? throw _endpoint.UnexpectedAnswer(_create, operation, $"'{_options.ReferenceProperty}' (a string or a number)");
    }

    /// <inheritdoc />
    public Task UpdateTicketAsync(string reference, ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(occurrence);
        var address = new Uri(_options.UpdateUrl!.Replace(ReferencePlaceholder, Uri.EscapeDataString(reference), StringComparison.Ordinal));
        var link = Link(record);
        var update = new TicketUpdatedPayload(
            reference,
            TicketText.Recurred(record, occurrence, link, TextFormat.Plain),
            link,
            GroupPayload.From(record),
            OccurrencePayload.From(occurrence));
        return _endpoint.PostAsync(address, update, PayloadJson.Default.TicketUpdatedPayload, "update a ticket", cancellationToken);
    }

    private string? Reference(JsonElement answer)
    {
        foreach (var name in _referencePath)
        {
            if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty(name, out answer))
            {
                return null;
            }
        }

        var reference = answer.ValueKind switch
        {
            JsonValueKind.String => answer.GetString(),
            JsonValueKind.Number => answer.GetRawText(),
            _ => null,
        };
        return string.IsNullOrEmpty(reference) ? null : reference;
    }

    private Uri? Link(ErrorRecord record) => NotificationContent.DashboardLink(_tracker.Value.DashboardUrl, record.Hash);
}
