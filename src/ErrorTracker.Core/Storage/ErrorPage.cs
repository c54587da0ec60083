using ErrorTracking.Records;

namespace ErrorTracking.Storage;

/// <summary>One page of groups.</summary>
/// <param name="Items">The groups on this page, newest last seen first.</param>
/// <param name="Page">The 1-based page number.</param>
/// <param name="PageSize">Groups per page.</param>
/// <param name="TotalCount">Groups matching the query on all pages.</param>
public sealed record ErrorPage(IReadOnlyList<ErrorRecord> Items, int Page, int PageSize, long TotalCount)
{
    /// <summary>Whether a newer page exists.</summary>
    public bool HasPrevious => Page > 1;

    /// <summary>Whether an older page exists.</summary>
    public bool HasNext => (long)Page * PageSize < TotalCount;

    /// <summary>How many pages the query has (at least 1).</summary>
    public long PageCount => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);
}
