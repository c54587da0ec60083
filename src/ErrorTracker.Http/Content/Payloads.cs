using System.Text.Json;
using System.Text.Json.Serialization;
using ErrorTracking.Notification;
using ErrorTracking.Records;

namespace ErrorTracking.Http.Content;

/// <summary>A group as the JSON payloads describe it.</summary>
internal sealed record GroupPayload(
    string Hash,
    string Exception,
    string Message,
    string Host,
    string Method,
    string Path,
    string? Application,
    long Count,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    ErrorStatus Status)
{
    public static GroupPayload From(ErrorRecord record) => new(
        record.Hash,
        record.ExceptionName,
        record.Message,
        record.Host,
        record.Method,
        record.Path,
        record.Application,
        record.Count,
        record.CreatedOn,
        record.LastSeen,
        record.Status);
}

/// <summary>The occurrence a payload is about.</summary>
internal sealed record OccurrencePayload(string? Url, DateTimeOffset Timestamp, string ExceptionType, string Message)
{
    public static OccurrencePayload From(ErrorEvent occurrence) =>
        new(occurrence.Url, occurrence.Timestamp, occurrence.ExceptionType, occurrence.Message);
}

/// <summary>The webhook notifier's JSON format.</summary>
internal sealed record NotificationPayload(
    string Subject,
    string Text,
    Uri? DashboardLink,
    int HeldBack,
    GroupPayload Group,
    OccurrencePayload Occurrence)
{
    public static NotificationPayload From(ErrorNotification notification) => new(
        notification.Subject,
        notification.Body,
        notification.DashboardLink,
        notification.HeldBack,
        GroupPayload.From(notification.Record),
        OccurrencePayload.From(notification.Occurrence));
}

/// <summary>An incoming-webhook message for Slack or Mattermost.</summary>
internal sealed record SlackPayload(string Text);

/// <summary>What the ticket webhook's create address receives.</summary>
internal sealed record TicketRaisedPayload(string Title, string Text, Uri? DashboardLink, GroupPayload Group, OccurrencePayload Occurrence);

/// <summary>What the ticket webhook's update address receives.</summary>
internal sealed record TicketUpdatedPayload(string Reference, string Text, Uri? DashboardLink, GroupPayload Group, OccurrencePayload Occurrence);

/// <summary>GitHub's "create an issue" request.</summary>
internal sealed record GitHubIssuePayload(
    string Title,
    string Body,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Labels);

/// <summary>GitHub's "create an issue comment" request.</summary>
internal sealed record GitHubCommentPayload(string Body);

/// <summary>Serialization of the payloads without reflection, camelCase, enums by name.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(NotificationPayload))]
[JsonSerializable(typeof(SlackPayload))]
[JsonSerializable(typeof(TicketRaisedPayload))]
[JsonSerializable(typeof(TicketUpdatedPayload))]
[JsonSerializable(typeof(GitHubIssuePayload))]
[JsonSerializable(typeof(GitHubCommentPayload))]
internal sealed partial class PayloadJson : JsonSerializerContext;
