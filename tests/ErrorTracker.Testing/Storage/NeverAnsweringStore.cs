using ErrorTracking.Records;

namespace ErrorTracking.Testing.Storage;

/// <summary>
/// A store whose writes never return, whatever their cancellation token says: a database that hangs, or a driver
/// that ignores cancellation while it waits on a lock. Reads go to the inner store.
/// </summary>
public sealed class NeverAnsweringStore : DelegatingErrorStore
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first write has started (and hangs).</summary>
    public Task Entered => _entered.Task;

    /// <inheritdoc />
    public override Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        return new TaskCompletionSource<IReadOnlyList<ErrorRecord>>().Task;
    }
}
