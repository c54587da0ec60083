using ErrorTracking.Records;

namespace ErrorTracking.Storage;

/// <summary>
/// A page request for the list of groups. Text filters match case-insensitively: <see cref="Method"/> must be
/// equal, <see cref="Host"/>, <see cref="Path"/> and <see cref="ExceptionName"/> must be contained, and
/// <see cref="Search"/> looks in the message, the path and the exception name.
/// </summary>
public sealed record ErrorQuery
{
    /// <summary>The 1-based page number.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Groups per page.</summary>
    public int PageSize { get; init; } = 10;

    /// <summary>Only groups whose host contains this text.</summary>
    public string? Host { get; init; }

    /// <summary>Only groups with this method.</summary>
    public string? Method { get; init; }

    /// <summary>Only groups whose path contains this text.</summary>
    public string? Path { get; init; }

    /// <summary>Only groups whose exception name contains this text.</summary>
    public string? ExceptionName { get; init; }

    /// <summary>Only groups in this status.</summary>
    public ErrorStatus? Status { get; init; }

    /// <summary>Only groups whose message, path or exception name contains this text.</summary>
    public string? Search { get; init; }

    /// <summary>Only groups last seen at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only groups last seen before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when the page or page size is below 1.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Page, 1, nameof(Page));
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1, nameof(PageSize));
    }
}
