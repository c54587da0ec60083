namespace ErrorTracking.Notification;

/// <summary>When a group's occurrences are notified, or added to its ticket.</summary>
public enum DeliveryPolicy
{
    /// <summary>
    /// On a new group, on a resolved group that happens again (a regression), and on a group that happens again
    /// after a quiet period: enough to notice every problem, never a flood.
    /// </summary>
    FirstThenAfterQuietPeriod,

    /// <summary>On every occurrence, as upstream does by default.</summary>
    EveryOccurrence,

    /// <summary>
    /// On a group's first occurrence only (upstream's <c>*_ONCE</c> settings): a notification again after the group
    /// was resolved; a ticket is raised once and never updated, not even for a regression.
    /// </summary>
    FirstOccurrence,
}
