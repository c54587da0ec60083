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

    /// <summary>Groups kept at most; past it, the retention sweep deletes those seen least recently. Default: no limit.</summary>
    public int? MaxGroups { get; set; }

    /// <summary>Occurrences older than this are deleted by the retention sweep (a group's first one is kept). Default: kept.</summary>
    public TimeSpan? OccurrenceRetention { get; set; }

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
