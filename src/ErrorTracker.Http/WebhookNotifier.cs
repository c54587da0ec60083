using ErrorTracking.Http.Content;
using ErrorTracking.Http.Delivery;
using ErrorTracking.Notification;
using Microsoft.Extensions.Options;

namespace ErrorTracking.Http;

/// <summary>
/// Posts notifications to a webhook as JSON, or as a Slack or Mattermost message. Throws on a failure (an answer
/// other than 2xx, or none within the timeout); the tracker retries and logs it.
/// </summary>
public sealed class WebhookNotifier : INotifier
{
    /// <summary>The name of the <see cref="HttpClient"/> this notifier uses, to add handlers (a proxy, certificates) to it.</summary>
    public const string HttpClientName = "ErrorTracker.Webhook";

    private readonly WebhookNotifierOptions _options;
    private readonly Uri _url;
    private readonly JsonEndpoint _endpoint;

    /// <summary>Creates the notifier; the options are validated here at the latest.</summary>
    /// <param name="clients">The factory of the named client.</param>
    /// <param name="options">The options.</param>
    public WebhookNotifier(IHttpClientFactory clients, IOptions<WebhookNotifierOptions> options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _url = _options.Url ?? throw new OptionsValidationException(nameof(WebhookNotifierOptions), typeof(WebhookNotifierOptions), [$"{WebhookNotifierOptions.SectionName}:Url is required."]);
        _endpoint = new JsonEndpoint(clients, HttpClientName, "The webhook", _options.Headers);
    }

    /// <inheritdoc />
    public Task NotifyAsync(ErrorNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return _options.Format == WebhookFormat.Slack
            ? _endpoint.PostAsync(_url, new SlackPayload(SlackText.For(notification)), PayloadJson.Default.SlackPayload, "notify", cancellationToken)
            : _endpoint.PostAsync(_url, NotificationPayload.From(notification), PayloadJson.Default.NotificationPayload, "notify", cancellationToken);
    }
}
