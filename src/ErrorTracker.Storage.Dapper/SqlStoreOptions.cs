using System.Text.RegularExpressions;

namespace ErrorTracking.Storage;

/// <summary>Settings of the SQL store.</summary>
public sealed partial class SqlStoreOptions
{
    /// <summary>Prefix of every table name; letters, digits and underscores only. Default: <c>errortracker_</c>.</summary>
    public string TablePrefix { get; set; } = "errortracker_";

    /// <summary>Whether the schema is created and migrated on first use. Default: <see langword="true"/>.</summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>Occurrences kept per group besides the first one: the latest N. Default: 20.</summary>
    public int OccurrencesPerGroup { get; set; } = 20;

    /// <summary>
    /// Groups kept at most; past it, the retention sweep deletes those seen least recently. Default: 10,000, as the
    /// in-memory store and <c>MaxBufferedGroups</c>: a storm of distinct failures then leaves a database of
    /// thousands of groups, not a file that grows with every new one. <see langword="null"/>: no limit.
    /// </summary>
    public int? MaxGroups { get; set; } = DefaultMaxGroups;

    /// <summary>
    /// Occurrences older than this are deleted by the retention sweep (a group's first one is kept), with the daily
    /// counts of the days before. Default: 30 days, a month of history for the dashboard's charts and for a failure
    /// that recurs monthly. <see langword="null"/>: kept for ever.
    /// </summary>
    public TimeSpan? OccurrenceRetention { get; set; } = DefaultOccurrenceRetention;

    /// <summary>The default of <see cref="MaxGroups"/>.</summary>
    public const int DefaultMaxGroups = 10_000;

    /// <summary>The default of <see cref="OccurrenceRetention"/>.</summary>
    public static readonly TimeSpan DefaultOccurrenceRetention = TimeSpan.FromDays(30);

    internal SqlTableNames Validate()
    {
        if (!TablePrefixPattern().IsMatch(TablePrefix))
        {
            throw new ArgumentException(
                $"ErrorTracker:Storage:TablePrefix must be letters, digits and underscores, starting with a letter (was '{TablePrefix}').");
        }

        if (OccurrencesPerGroup < 1)
        {
            throw new ArgumentException($"ErrorTracker:Storage:OccurrencesPerGroup must be at least 1 (was {OccurrencesPerGroup}).");
        }

        if (MaxGroups is < 1)
        {
            throw new ArgumentException($"ErrorTracker:Storage:MaxGroups must be at least 1 (was {MaxGroups}).");
        }

        return new SqlTableNames(TablePrefix);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,40}$")]
    private static partial Regex TablePrefixPattern();
}
