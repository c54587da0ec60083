using ErrorTracking.Diagnostics;
using ErrorTracking.Records;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Pipeline;

/// <summary>
/// Stores what waits in the outage buffer, a bounded piece at a time, so that a store with room for part of it (a disk
/// freed a little) or back for a moment takes what it can. After <c>StoreAttempts</c> failures in a row, a piece is
/// stored one failure at a time, so an occurrence the store refuses while it takes the others cannot hold up the rest.
/// </summary>
internal sealed class OutageDrain(
    MergedOccurrences buffer,
    StoreCalls calls,
    int batchSize,
    int storeAttempts,
    Action<IEnumerable<ErrorEvent>> putBack,
    Action<long> giveUp,
    ILogger logger,
    Func<Exception, string> describe)
{
    /// <summary>Stores what waits; <see langword="true"/> when nothing waits any more.</summary>
    public async Task<bool> DrainAsync()
    {
        if (!await calls.SettleAbandonedAsync(putBack).ConfigureAwait(false))
        {
            return false;
        }

        while (!buffer.IsEmpty)
        {
            var (groups, occurrences) = buffer.Take(Math.Max(1, batchSize / 2));
            var piece = groups.SelectMany(events => events).ToList();
            var (outcome, _) = await calls.StoreAsync(piece, occurrences).ConfigureAwait(false);
            if (outcome == StoreOutcome.Stored)
            {
                continue;
            }

            if (outcome == StoreOutcome.Failed && calls.FailuresInARow >= storeAttempts && await IsolateAsync(groups).ConfigureAwait(false))
            {
                continue;
            }

            if (outcome == StoreOutcome.Failed)
            {
                putBack(piece);
            }

            return false;
        }

        return !calls.HasAbandoned;
    }

    /// <summary>
    /// Stores each failure of a piece the store keeps refusing on its own. When the store takes some and refuses
    /// others, those it refuses are given up: lost, and logged once. When it refuses all, it is down, and all wait.
    /// </summary>
    /// <returns><see langword="true"/> when the store took at least one.</returns>
    private async Task<bool> IsolateAsync(List<ErrorEvent[]> groups)
    {
        var refused = new List<(ErrorEvent[] Events, Exception Failure)>();
        var storedAny = false;
        for (var i = 0; i < groups.Count; i++)
        {
            var events = groups[i].ToList();
            var count = events.Sum(occurrence => (long)occurrence.Occurrences);
            var (outcome, failure) = await calls.StoreAsync(events, count).ConfigureAwait(false);
            if (outcome == StoreOutcome.Failed && events.Count == 2)
            {
                (outcome, failure) = await StoreWithoutOneAsync(events, count, failure!).ConfigureAwait(false);
            }

            if (outcome == StoreOutcome.Stored)
            {
                storedAny = true;
            }
            else if (outcome == StoreOutcome.Failed)
            {
                refused.Add((groups[i], failure!));
            }
            else
            {
                // Timed out: the store is slow, not refusing; the rest waits for the next round.
                foreach (var rest in groups.Skip(i + 1))
                {
                    putBack(rest);
                }

                break;
            }
        }

        var attempts = calls.FailuresInARow;
        foreach (var (events, failure) in refused)
        {
            if (storedAny)
            {
                var count = events.Sum(occurrence => (long)occurrence.Occurrences);
                // Logged before it counts as finished, so a flush that returns has seen the log line written.
                TrackerLog.PoisonGivenUp(logger, count, events[0].Hash, attempts, describe(failure));
                giveUp(count);
            }
            else
            {
                putBack(events);
            }
        }

        if (storedAny)
        {
            calls.ResetFailures();
        }

        return storedAny;
    }

    /// <summary>
    /// A failure waits as its first and its latest occurrence; when the store refuses the two, one of them may be what
    /// it refuses. Each is tried alone, carrying the whole count: the count stays exact, and only the refused one's
    /// details are given up, and logged.
    /// </summary>
    private async Task<(StoreOutcome Outcome, Exception? Failure)> StoreWithoutOneAsync(List<ErrorEvent> events, long count, Exception failure)
    {
        var whole = (int)Math.Min(int.MaxValue, count);
        var attempts = calls.FailuresInARow;
        foreach (var (kept, refused) in new[] { (events[1], events[0]), (events[0], events[1]) })
        {
            var (outcome, _) = await calls.StoreAsync([kept with { Occurrences = whole }], count).ConfigureAwait(false);
            if (outcome == StoreOutcome.Stored)
            {
                TrackerLog.DetailsGivenUp(logger, refused.Hash, attempts, describe(failure));
                return (outcome, null);
            }

            if (outcome == StoreOutcome.Abandoned)
            {
                return (outcome, null);
            }
        }

        return (StoreOutcome.Failed, failure);
    }
}
