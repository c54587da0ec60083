namespace ErrorTracking.Context;

/// <summary>
/// Request data under a label of an integration's own (<see cref="CaptureContext.SetRequestSection"/>): rendered as
/// its entries, each masked by its own name, while the label is never taken for a secret's name.
/// </summary>
internal sealed class RequestSection(KeyValuePair<string, object?>[] entries) : IReadOnlyCollection<KeyValuePair<string, object?>>
{
    public int Count => entries.Length;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)entries).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
