namespace ErrorTracking.Http;

/// <summary>What the webhook notifier posts.</summary>
public enum WebhookFormat
{
    /// <summary>The group, the occurrence, the subject, the text body and the dashboard link as a JSON object.</summary>
    Json,

    /// <summary>
    /// A Slack or Mattermost incoming-webhook message, <c>{"text": "..."}</c>: the subject, the dashboard link and
    /// the start of the traceback.
    /// </summary>
    Slack,
}
