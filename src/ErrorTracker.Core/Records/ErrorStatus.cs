namespace ErrorTracking.Records;

/// <summary>The triage state of a group.</summary>
public enum ErrorStatus
{
    /// <summary>Needs attention. A new group starts here, and a resolved group that happens again returns here.</summary>
    Unresolved,

    /// <summary>Marked as fixed.</summary>
    Resolved,
}
