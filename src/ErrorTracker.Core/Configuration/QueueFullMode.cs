namespace ErrorTracking.Configuration;

/// <summary>What recording does when the queue to the store is full. Either way the drop is counted and logged, and the application never waits.</summary>
public enum QueueFullMode
{
    /// <summary>The new occurrence is dropped; what is queued stays.</summary>
    DropNewest,

    /// <summary>The oldest queued occurrence is dropped to make room.</summary>
    DropOldest,
}
