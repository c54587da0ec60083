namespace ErrorTracking.Testing;

/// <summary>
/// Waits for a condition on the tracker's statistics, which raise no event when they change: checked every 10 ms,
/// ending as soon as it holds, failing with what was awaited after a generous bound for a loaded machine.
/// </summary>
public static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="condition">What must come true.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <param name="bound">How long at most; default 60 seconds.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    public static async Task HoldsAsync(Func<bool> condition, string what, TimeSpan? bound = null)
    {
        var limit = bound ?? TimeSpan.FromSeconds(60);
        using var deadline = new CancellationTokenSource(limit);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (!condition())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new AssertionException($"Waited {limit} in vain for this: {what}");
            }

            await tick.WaitForNextTickAsync(CancellationToken.None);
        }
    }
}
