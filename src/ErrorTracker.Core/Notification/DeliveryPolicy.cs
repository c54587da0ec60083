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

    /// <summary>On a group's first occurrence only, and again after it was resolved (upstream's <c>*_ONCE</c> settings).</summary>
    FirstOccurrence,
}
