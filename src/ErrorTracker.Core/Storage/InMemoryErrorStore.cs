using ErrorTracking.Records;

namespace ErrorTracking.Storage;

/// <summary>
/// A thread-safe store in memory, used when no other store is configured. It is bounded: past
/// <see cref="MaxGroups"/> groups, the group seen least recently is dropped. Everything is lost when the process
/// ends; reference ErrorTracker.Storage.Dapper for a lasting store.
/// </summary>
public sealed class InMemoryErrorStore : IErrorStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    /// <summary>Creates the store.</summary>
    /// <param name="maxGroups">How many groups are kept at most.</param>
    public InMemoryErrorStore(int maxGroups = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroups, 1);
        MaxGroups = maxGroups;
    }

    /// <summary>How many groups are kept at most.</summary>
    public int MaxGroups { get; }

    /// <inheritdoc />
    public Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrences);
        cancellationToken.ThrowIfCancellationRequested();
        var results = new ErrorRecord[occurrences.Count];
        lock (_lock)
        {
            for (var i = 0; i < occurrences.Count; i++)
            {
                results[i] = Save(occurrences[i]);
            }
        }

        return Task.FromResult<IReadOnlyList<ErrorRecord>>(results);
    }

    /// <inheritdoc />
    public Task<ErrorRecordDetail?> GetAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        lock (_lock)
        {
            return Task.FromResult(_groups.TryGetValue(hash, out var group)
                ? new ErrorRecordDetail(group.Record, group.First, group.Latest)
                : null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ErrorEvent>> ListOccurrencesAsync(string hash, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            IReadOnlyList<ErrorEvent> recent = _groups.TryGetValue(hash, out var group) ? group.Recent.Reverse().Take(limit).ToList() : [];
            return Task.FromResult(recent);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DailyCount>> CountByDayAsync(IReadOnlyCollection<string> hashes, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var counts = new List<DailyCount>();
        lock (_lock)
        {
            foreach (var hash in hashes.Distinct(StringComparer.Ordinal))
            {
                if (_groups.TryGetValue(hash, out var group))
                {
                    counts.AddRange(group.Days.Where(d => d.Key >= firstDay && d.Key <= lastDay).Select(d => new DailyCount(hash, d.Key, d.Value)));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<DailyCount>>(counts);
    }

    /// <inheritdoc />
    public Task<ErrorPage> ListAsync(ErrorQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        List<ErrorRecord> matching;
        lock (_lock)
        {
            matching = _groups.Values.Select(g => g.Record).Where(r => Matches(r, query)).ToList();
        }

        var page = matching
            .OrderByDescending(r => r.LastSeen)
            .ThenBy(r => r.Hash, StringComparer.Ordinal)
            .Skip((int)Math.Min(int.MaxValue, (long)(query.Page - 1) * query.PageSize))
            .Take(query.PageSize)
            .ToList();
        return Task.FromResult(new ErrorPage(page, query.Page, query.PageSize, matching.Count));
    }

    /// <inheritdoc />
    public Task<bool> UpdateAsync(string hash, ErrorRecordUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(update);
        lock (_lock)
        {
            if (!_groups.TryGetValue(hash, out var group))
            {
                return Task.FromResult(false);
            }

            // Resolving re-arms both delivery channels, so a regression is announced.
            var resolving = update.Status == ErrorStatus.Resolved;
            group.Record = group.Record with
            {
                Status = update.Status ?? group.Record.Status,
                NotificationSent = update.NotificationSent ?? (!resolving && group.Record.NotificationSent),
                TicketRaised = update.TicketRaised ?? (!resolving && group.Record.TicketRaised),
                TicketReference = update.TicketReference ?? group.Record.TicketReference,
            };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> TryClaimDeliveryAsync(string hash, DeliveryChannel channel, DateTimeOffset now, TimeSpan? repeatAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        lock (_lock)
        {
            if (!_groups.TryGetValue(hash, out var group))
            {
                return Task.FromResult(false);
            }

            var record = group.Record;
            var (delivered, last) = channel == DeliveryChannel.Notification
                ? (record.NotificationSent, record.LastNotifiedOn)
                : (record.TicketRaised, record.LastTicketUpdateOn);
            // A delivery of unknown time (flagged by an older schema or by hand) counts as long past.
            if (delivered && (repeatAfter is not { } quiet || (last is { } previous && previous > now - quiet)))
            {
                return Task.FromResult(false);
            }

            group.Record = channel == DeliveryChannel.Notification
                ? record with { NotificationSent = true, LastNotifiedOn = now }
                : record with { TicketRaised = true, LastTicketUpdateOn = now };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        lock (_lock)
        {
            return Task.FromResult(_groups.Remove(hash));
        }
    }

    private ErrorRecord Save(ErrorEvent occurrence)
    {
        if (_groups.TryGetValue(occurrence.Hash, out var group))
        {
            group.Add(occurrence);
            group.Record = group.Record with
            {
                Count = group.Record.Count + occurrence.Occurrences,
                LastSeen = occurrence.Timestamp > group.Record.LastSeen ? occurrence.Timestamp : group.Record.LastSeen,
                Status = ErrorStatus.Unresolved,
            };
            return group.Record;
        }

        if (_groups.Count >= MaxGroups)
        {
            var stalest = _groups.Values.MinBy(g => g.Record.LastSeen)!;
            _groups.Remove(stalest.Record.Hash);
        }

        var record = new ErrorRecord
        {
            Hash = occurrence.Hash,
            ExceptionName = occurrence.ExceptionType,
            Message = occurrence.Message,
            Host = occurrence.Host,
            Path = occurrence.Path,
            Method = occurrence.Method,
            Application = occurrence.Application,
            Count = occurrence.Occurrences,
            CreatedOn = occurrence.Timestamp,
            LastSeen = occurrence.Timestamp,
        };
        var created = new Group(record, occurrence);
        created.Add(occurrence);
        _groups.Add(occurrence.Hash, created);
        return record;
    }

    private static bool Matches(ErrorRecord record, ErrorQuery query) =>
        Contains(record.Host, query.Host)
        && (string.IsNullOrEmpty(query.Method) || string.Equals(record.Method, query.Method, StringComparison.OrdinalIgnoreCase))
        && Contains(record.Path, query.Path)
        && Contains(record.ExceptionName, query.ExceptionName)
        && (query.Status is null || record.Status == query.Status)
        && (string.IsNullOrEmpty(query.Search) || Contains(record.Message, query.Search) || Contains(record.Path, query.Search)
            || Contains(record.ExceptionName, query.Search))
        && (query.From is null || record.LastSeen >= query.From)
        && (query.To is null || record.LastSeen < query.To);

    private static bool Contains(string value, string? filter) =>
        string.IsNullOrEmpty(filter) || value.Contains(filter, StringComparison.OrdinalIgnoreCase);

    private sealed class Group(ErrorRecord record, ErrorEvent first)
    {
        // As the SQL store keeps the latest 20 occurrences; a year of days is enough for any chart.
        private const int KeptOccurrences = 20;
        private const int KeptDays = 400;

        public ErrorRecord Record { get; set; } = record;

        public ErrorEvent First { get; } = first;

        public ErrorEvent Latest => Recent.Last();

        public Queue<ErrorEvent> Recent { get; } = new();

        public SortedDictionary<DateOnly, long> Days { get; } = [];

        public void Add(ErrorEvent occurrence)
        {
            Recent.Enqueue(occurrence);
            if (Recent.Count > KeptOccurrences)
            {
                Recent.Dequeue();
            }

            var day = DateOnly.FromDateTime(occurrence.Timestamp.UtcDateTime);
            Days[day] = Days.GetValueOrDefault(day) + occurrence.Occurrences;
            if (Days.Count > KeptDays)
            {
                Days.Remove(Days.Keys.First());
            }
        }
    }
}
