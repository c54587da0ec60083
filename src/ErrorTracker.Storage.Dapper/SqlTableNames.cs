namespace ErrorTracking.Storage;

/// <summary>The store's table names, all starting with one configurable prefix.</summary>
/// <param name="Prefix">The prefix, validated to letters, digits and underscores.</param>
public sealed record SqlTableNames(string Prefix)
{
    /// <summary>The one-row table holding the schema version.</summary>
    public string SchemaVersion => Prefix + "schema_version";

    /// <summary>One row per group.</summary>
    public string Groups => Prefix + "groups";

    /// <summary>One row per kept occurrence.</summary>
    public string Occurrences => Prefix + "occurrences";

    /// <summary>One row per group and UTC day with occurrences: how many, kept or not.</summary>
    public string DailyCounts => Prefix + "daily_counts";
}
