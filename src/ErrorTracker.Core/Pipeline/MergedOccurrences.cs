using ErrorTracking.Records;

namespace ErrorTracking.Pipeline;

/// <summary>
/// Occurrences with the repeats of each failure merged into one entry that keeps the first and the latest
/// occurrence and a count. The writer uses it where many repeats arrive faster than one row each can be written:
/// as the buffer occurrences wait in while the store is unavailable (an outage costs memory per distinct failure,
/// not per occurrence), and for a backlog batch in a storm (the store writes rows per failure, not per
/// occurrence). Used by the writer loop only, so it needs no locking.
/// </summary>
/// <remarks>
/// Bounded by a number of distinct failures. Past it, the entry that stands for the fewest occurrences goes, and
/// of those the oldest: what is lost is as little as can be, a failure that keeps happening is never the one
/// dropped, and a new failure gets its place and can grow.
/// </remarks>
internal sealed class MergedOccurrences
{
    private readonly Dictionary<string, Entry> _byHash = new(StringComparer.Ordinal);
    private readonly SortedSet<Entry>? _bySize;
    private readonly int _maxGroups;
    private long _sequence;

    public MergedOccurrences(int maxGroups)
    {
        _maxGroups = maxGroups;
        // Only a bounded instance ever evicts; the backlog's is unbounded and stays a plain dictionary.
        _bySize = maxGroups < int.MaxValue ? new SortedSet<Entry>(SmallestThenOldest.Instance) : null;
    }

    public bool IsEmpty => _byHash.Count == 0;

    /// <summary>Distinct failures waiting; each becomes at most two occurrences in a batch.</summary>
    public int Groups => _byHash.Count;

    /// <summary>Occurrences waiting, all entries together.</summary>
    public long Occurrences { get; private set; }

    /// <summary>Adds an occurrence; returns how many occurrences were dropped to stay within bounds.</summary>
    public long Add(ErrorEvent occurrence)
    {
        Occurrences += occurrence.Occurrences;
        if (_byHash.TryGetValue(occurrence.Hash, out var entry))
        {
            _bySize?.Remove(entry);
            entry.Add(occurrence);
            _bySize?.Add(entry);
            return 0;
        }

        entry = new Entry(occurrence, _sequence++);
        _byHash.Add(occurrence.Hash, entry);
        _bySize?.Add(entry);
        if (_byHash.Count <= _maxGroups)
        {
            return 0;
        }

        var smallest = _bySize!.Min!;
        Remove(smallest);
        return smallest.Count;
    }

    /// <summary>The merged occurrences as one batch, in the order their failures first came.</summary>
    public List<ErrorEvent> ToBatch() => [.. Ordered().SelectMany(entry => entry.ToEvents())];

    /// <summary>
    /// Takes up to <paramref name="groups"/> failures out, the earliest first, each as its events: the first
    /// occurrence counting all but the latest, then the latest counting one, so the store keeps both and the count
    /// comes out exact. Put back with <see cref="Add"/> what could not be stored.
    /// </summary>
    public (List<ErrorEvent[]> Groups, long Occurrences) Take(int groups)
    {
        var taken = Ordered().Take(groups).ToList();
        long occurrences = 0;
        foreach (var entry in taken)
        {
            Remove(entry);
            occurrences += entry.Count;
        }

        return ([.. taken.Select(entry => entry.ToEvents())], occurrences);
    }

    public void Clear()
    {
        _byHash.Clear();
        _bySize?.Clear();
        Occurrences = 0;
    }

    private IEnumerable<Entry> Ordered() => _byHash.Values.OrderBy(entry => entry.Sequence);

    private void Remove(Entry entry)
    {
        _bySize?.Remove(entry);
        _byHash.Remove(entry.First.Hash);
        Occurrences -= entry.Count;
    }

    private sealed class Entry(ErrorEvent first, long sequence)
    {
        public ErrorEvent First { get; } = first;

        public long Sequence { get; } = sequence;

        public ErrorEvent? Latest { get; private set; }

        public long Count { get; private set; } = first.Occurrences;

        public void Add(ErrorEvent occurrence)
        {
            Latest = occurrence;
            Count += occurrence.Occurrences;
        }

        public ErrorEvent[] ToEvents() => Latest is null
            ? [First with { Occurrences = (int)Math.Min(int.MaxValue, Count) }]
            : [First with { Occurrences = (int)Math.Min(int.MaxValue, Count - Latest.Occurrences) }, Latest];
    }

    private sealed class SmallestThenOldest : IComparer<Entry>
    {
        public static readonly SmallestThenOldest Instance = new();

        public int Compare(Entry? x, Entry? y) =>
            x!.Count != y!.Count ? x.Count.CompareTo(y.Count) : x.Sequence.CompareTo(y.Sequence);
    }
}
