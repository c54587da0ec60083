namespace ErrorTracking.Capture;

/// <summary>
/// What one capture may spend on rendering values, shared by everything in it (variables, context, request data,
/// exception properties and data, statics), so no occurrence grows past a bound whatever the application holds.
/// Used by one capture on one thread.
/// </summary>
internal sealed class CaptureBudget(int nodes, long characters)
{
    /// <summary>Values rendered in one occurrence at most, as a multiple of the per-variable limit.</summary>
    public const int NodesPerEventFactor = 5;

    /// <summary>Characters of text kept in one occurrence at most (about 2 MB).</summary>
    public const long CharactersPerEvent = 1_000_000;

    public int NodesLeft { get; private set; } = nodes;

    public long CharactersLeft { get; private set; } = characters;

    public bool TakeNode() => --NodesLeft >= 0;

    /// <summary>How many characters of a text of <paramref name="length"/> may be kept, and takes them.</summary>
    public int TakeCharacters(int length)
    {
        var granted = (int)Math.Clamp(CharactersLeft, 0, length);
        CharactersLeft -= granted;
        return granted;
    }
}
