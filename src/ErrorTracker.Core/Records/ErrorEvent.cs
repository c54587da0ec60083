namespace ErrorTracking.Records;

/// <summary>
/// One recorded occurrence, immutable and already masked: everything in it may be queued, stored, logged and
/// sent as it is.
/// </summary>
public sealed record ErrorEvent
{
    /// <summary>The grouping key: 64 lower-case hexadecimal characters of a SHA-256 fingerprint.</summary>
    public required string Hash { get; init; }

    /// <summary>When the occurrence was captured, in UTC.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The severity.</summary>
    public ErrorLevel Level { get; init; } = ErrorLevel.Error;

    /// <summary>The full type name of the top-level exception, or <c>Message</c> for a captured message.</summary>
    public required string ExceptionType { get; init; }

    /// <summary>The top-level message, masked.</summary>
    public required string Message { get; init; }

    /// <summary>The request's host, or an empty string outside a request.</summary>
    public string Host { get; init; } = "";

    /// <summary>The request's path, or an empty string outside a request.</summary>
    public string Path { get; init; } = "";

    /// <summary>The request's method, or an empty string outside a request.</summary>
    public string Method { get; init; } = "";

    /// <summary>The full request URL, when there was a request.</summary>
    public string? Url { get; init; }

    /// <summary>Request data (query, form, headers, body...) as a masked tree; empty outside a request.</summary>
    public IReadOnlyList<NamedValue> RequestData { get; init; } = [];

    /// <summary>Extra key/values from the caller, scopes and context builders, masked.</summary>
    public IReadOnlyList<NamedValue> Context { get; init; } = [];

    /// <summary>The application's name.</summary>
    public string? Application { get; init; }

    /// <summary>The process that captured the occurrence.</summary>
    public required RuntimeEnvironment Environment { get; init; }

    /// <summary>
    /// How many occurrences this record stands for: 1, or more when repeats of one failure were merged, while the
    /// store was unavailable or while the writer was behind (a storm). A store adds this to the group's count.
    /// </summary>
    public int Occurrences { get; init; } = 1;

    /// <summary>The exception chain; for a captured message, one pseudo exception holding the caller's frames.</summary>
    public required ExceptionDetail Exception { get; init; }
}
