namespace ErrorTracking.Decorators;

/// <summary>
/// An async sequence whose failures while being enumerated are tracked like a wrapped call's: an async iterator runs
/// its body only as it is enumerated, long after the call that created it returned.
/// </summary>
internal sealed class TrackedAsyncEnumerable<T>(IAsyncEnumerable<T> source, bool silent, Type declaringType, string methodName,
    KeyValuePair<string, object?>[] arguments) : IAsyncEnumerable<T>
{
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        Exception? failure = null;
        try
        {
            return new Enumerator(source.GetAsyncEnumerator(cancellationToken), this);
        }
        catch (Exception exception) when (TrackedCall.Failing(failure = exception, silent, declaringType, methodName, arguments))
        {
            return new Enumerator(EmptyEnumerator.Instance, this);
        }
        finally
        {
            if (failure is not null)
            {
                TrackedCall.Left(failure);
            }
        }
    }

    private sealed class Enumerator(IAsyncEnumerator<T> inner, TrackedAsyncEnumerable<T> owner) : IAsyncEnumerator<T>
    {
        public T Current => inner.Current;

        public ValueTask<bool> MoveNextAsync()
        {
            Exception? failure = null;
            try
            {
                var next = inner.MoveNextAsync();
                return next.IsCompletedSuccessfully ? next : AwaitAsync(next);
            }
            catch (Exception exception) when (owner.Failing(failure = exception))
            {
                return ValueTask.FromResult(false);
            }
            finally
            {
                if (failure is not null)
                {
                    TrackedCall.Left(failure);
                }
            }
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private ValueTask<bool> AwaitAsync(ValueTask<bool> next) =>
            new(ObservedTask<bool>.Observe(next.AsTask(), ErrorTracker.Current, owner.Failing));
    }

    private bool Failing(Exception exception) => TrackedCall.Failing(exception, silent, declaringType, methodName, arguments);

    private sealed class EmptyEnumerator : IAsyncEnumerator<T>
    {
        public static readonly EmptyEnumerator Instance = new();

        public T Current => default!;

        public ValueTask<bool> MoveNextAsync() => ValueTask.FromResult(false);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
