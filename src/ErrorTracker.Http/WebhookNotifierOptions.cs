namespace ErrorTracking.Http;

/// <summary>Where and how <see cref="WebhookNotifier"/> posts; bound from <c>ErrorTracker:Webhook</c>.</summary>
public sealed class WebhookNotifierOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "ErrorTracker:Webhook";

    /// <summary>The absolute http or https address to POST to. Required.</summary>
    public Uri? Url { get; set; }

    /// <summary>The payload: <see cref="WebhookFormat.Json"/> (default) or <see cref="WebhookFormat.Slack"/>.</summary>
    public WebhookFormat Format { get; set; } = WebhookFormat.Json;

    /// <summary>Headers sent with every request, such as a shared secret; their values are never logged nor quoted in errors. Default: none.</summary>
    public IDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a request may take, answer included. Default: 10 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
