using ErrorTracking.Records;

namespace ErrorTracking.Notification;

/// <summary>A notification about a stored occurrence; everything in it is masked.</summary>
/// <param name="Record">The group, as it stood after this occurrence was counted.</param>
/// <param name="Occurrence">The occurrence.</param>
/// <param name="Subject">Upstream's subject: <c>[prefix] [METHOD] url ExceptionType: message</c>, parts left out when absent.</param>
/// <param name="Body">The URL, the counts and the traceback with its variables.</param>
/// <param name="Sender">The configured sender address, if any.</param>
/// <param name="Recipients">The configured recipients.</param>
public sealed record ErrorNotification(
    ErrorRecord Record,
    ErrorEvent Occurrence,
    string Subject,
    string Body,
    string? Sender,
    IReadOnlyList<string> Recipients);
