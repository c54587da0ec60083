using ErrorTracking.Records;

namespace ErrorTracking.Pipeline;

/// <summary>
/// Occurrences with the repeats of each failure merged into one entry that keeps the first and the latest
/// occurrence and a count. The writer uses it where many repeats arrive faster than one row each can be written:
/// as the buffer occurrences wait in while the store is unavailable (an outage costs memory per distinct failure,
/// not per occurrence), and for a backlog batch in a storm (the store writes rows per failure, not per
/// occurrence). Bounded: past the limit the oldest entry goes. Used by the writer loop only, so it needs no
/// locking.
/// </summary>
internal sealed class MergedOccurrences
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _byHash = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _order = new();
    private readonly int _maxGroups;

    public MergedOccurrences(int maxGroups) => _maxGroups = maxGroups;

    public bool IsEmpty => _order.Count == 0;

    /// <summary>Distinct failures waiting; each becomes at most two occurrences in <see cref="ToBatch"/>.</summary>
    public int Groups => _order.Count;

    /// <summary>Occurrences waiting, all entries together.</summary>
    public long Occurrences { get; private set; }

    /// <summary>Adds an occurrence; returns how many occurrences were dropped to stay within bounds.</summary>
    public long Add(ErrorEvent occurrence)
    {
        Occurrences += occurrence.Occurrences;
        if (_byHash.TryGetValue(occurrence.Hash, out var node))
        {
            node.Value.Add(occurrence);
            return 0;
        }

        _byHash.Add(occurrence.Hash, _order.AddLast(new Entry(occurrence)));
        if (_order.Count <= _maxGroups)
        {
            return 0;
        }

        var oldest = _order.First!.Value;
        _order.RemoveFirst();
        _byHash.Remove(oldest.First.Hash);
        Occurrences -= oldest.Count;
        return oldest.Count;
    }

    /// <summary>
    /// The merged occurrences as one batch, in the order their failures first came: per failure its first occurrence counting all but the latest, then
    /// the latest counting one, so the store keeps both and the count comes out exact.
    /// </summary>
    public List<ErrorEvent> ToBatch()
    {
        var batch = new List<ErrorEvent>(_order.Count * 2);
        foreach (var entry in _order)
        {
            if (entry.Latest is null)
            {
                batch.Add(entry.First with { Occurrences = (int)Math.Min(int.MaxValue, entry.Count) });
            }
            else
            {
                batch.Add(entry.First with { Occurrences = (int)Math.Min(int.MaxValue, entry.Count - entry.Latest.Occurrences) });
                batch.Add(entry.Latest);
            }
        }

        return batch;
    }

    public void Clear()
    {
        _byHash.Clear();
        _order.Clear();
        Occurrences = 0;
    }

    private sealed class Entry(ErrorEvent first)
    {
        public ErrorEvent First { get; } = first;

        public ErrorEvent? Latest { get; private set; }

        public long Count { get; private set; } = first.Occurrences;

        public void Add(ErrorEvent occurrence)
        {
            Latest = occurrence;
            Count += occurrence.Occurrences;
        }
    }
}
