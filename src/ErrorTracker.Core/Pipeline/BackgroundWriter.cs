using System.Threading.Channels;
using ErrorTracking.Configuration;
using ErrorTracking.Diagnostics;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Pipeline;

/// <summary>
/// The bounded queue between capture and storage, and the single background loop that drains it in batches.
/// Enqueueing never waits: when the queue is full, an occurrence is dropped and counted.
/// </summary>
internal sealed class BackgroundWriter : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DropLogInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CancellationGrace = TimeSpan.FromSeconds(1);

    private readonly Channel<ErrorEvent> _channel;
    private readonly IErrorStore _store;
    private readonly DeliveryDispatcher _delivery;
    private readonly TrackerCounters _counters;
    private readonly ILogger _logger;
    private readonly Func<Exception, string> _describe;
    private readonly int _capacity;
    private readonly int _batchSize;
    private readonly TimeSpan _shutdownTimeout;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private readonly WorkCounter _work = new();
    private readonly MergedOccurrences _buffer;
    // Reused for every backlog batch: a storm takes this path batch after batch.
    private readonly MergedOccurrences _backlog = new(int.MaxValue);
    private readonly TimeSpan _storeTimeout;
    private readonly int _storeAttempts;
    private readonly OutageReport _outage;
    private readonly TimeProvider _time;
    private TimeSpan _retryDelay = FirstRetryDelay;
    private int _failuresInARow;
    // A store call that outlived its deadline and ignored the cancellation: it may still commit, so what it holds
    // is neither stored again nor counted until it has ended.
    private (Task<IReadOnlyList<ErrorRecord>> Save, List<ErrorEvent> Batch, long Occurrences, CancellationTokenSource Deadline)? _abandoned;
    private long _lastDropLog = -1;
    private int _completing;
    private int _disposed;

    public BackgroundWriter(ErrorTrackerOptions options, IErrorStore store, DeliveryDispatcher delivery, TrackerCounters counters, ILogger logger,
        Func<Exception, string> describe, TimeProvider time)
    {
        _time = time;
        _storeTimeout = options.StoreTimeout;
        _storeAttempts = options.StoreAttempts;
        _outage = new OutageReport(logger, time, counters);
        _describe = describe;
        _store = store;
        _delivery = delivery;
        _counters = counters;
        _logger = logger;
        _capacity = options.QueueCapacity;
        _batchSize = options.BatchSize;
        _shutdownTimeout = options.ShutdownTimeout;
        _buffer = new MergedOccurrences(options.MaxBufferedGroups);
        var channelOptions = new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = options.QueueFullMode == QueueFullMode.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        };
        _channel = Channel.CreateBounded<ErrorEvent>(channelOptions, OnOldestDropped);
        _loop = Task.Run(RunAsync);
    }

    public int QueueLength => _channel.Reader.Count;

    /// <summary>Occurrences accepted and not yet stored, dropped or lost: queued, in a store call, or merged in the buffer.</summary>
    public long Pending => _work.Pending;

    /// <summary>Queues an occurrence without waiting; <see langword="false"/> when it was dropped.</summary>
    public bool TryEnqueue(ErrorEvent occurrence)
    {
        // Counted before it is written, so a flush started after this call returns always waits for it.
        _work.Accept();
        if (!_channel.Writer.TryWrite(occurrence))
        {
            _work.Finish();
            if (Volatile.Read(ref _completing) == 1)
            {
                // Recorded while the tracker shuts down: too late to store, and not a full queue.
                _counters.AddLost(1);
            }
            else
            {
                OnDropped();
            }

            return false;
        }

        return true;
    }

    /// <summary>Waits until everything queued before the call has been stored (or given up on).</summary>
    public Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _work.WaitAsync(timeout, untilIdle: false, () => _loop.IsCompleted, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(_shutdownTimeout);
        await DisposeAsync(deadline.Token).ConfigureAwait(false);
    }

    /// <summary>Stores what is queued until <paramref name="deadline"/> is cancelled, then counts and logs the rest as lost.</summary>
    public async ValueTask DisposeAsync(CancellationToken deadline)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Volatile.Write(ref _completing, 1);
        _channel.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var pending = _work.Pending;
            _counters.AddLost(pending);
            // Counted once, as lost: no longer waiting.
            _work.Finish(pending);
            TrackerLog.ShutdownLost(_logger, pending, _shutdownTimeout);
            await _stopping.CancelAsync().ConfigureAwait(false);
            // A store or notifier that ignores cancellation must not hold the host's shutdown hostage.
            await _loop.WaitAsync(CancellationGrace, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_loop.IsCompleted)
        {
            _stopping.Dispose();
        }
    }

    private async Task RunAsync()
    {
        ErrorTracker.MarkInsideTracker();
        var reader = _channel.Reader;
        var batch = new List<ErrorEvent>(_batchSize);
        try
        {
            while (true)
            {
                if (_buffer.IsEmpty && _abandoned is null)
                {
                    if (!await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
                    {
                        break;
                    }

                    var taken = TakeBatch(reader, batch);
                    var outcome = await TryStoreAsync(batch, taken).ConfigureAwait(false);
                    if (outcome == StoreOutcome.Failed)
                    {
                        foreach (var occurrence in batch)
                        {
                            Buffer(occurrence);
                        }
                    }

                    batch = outcome == StoreOutcome.Abandoned ? new List<ErrorEvent>(_batchSize) : batch;
                    batch.Clear();
                    continue;
                }

                // The store is unavailable: keep taking what is recorded into the buffer, merged, and retry.
                await BufferWhileWaitingAsync(Volatile.Read(ref _completing) == 1 ? FirstRetryDelay : _retryDelay).ConfigureAwait(false);
                while (reader.TryRead(out var occurrence))
                {
                    Buffer(occurrence);
                }

                if (await DrainAsync().ConfigureAwait(false))
                {
                    _retryDelay = FirstRetryDelay;
                    _outage.Recovered();
                }
                else
                {
                    _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutdown gave up waiting; what is left was counted as lost.
        }
        finally
        {
            _work.Pulse();
        }
    }

    /// <summary>
    /// Stores what waits, a bounded piece at a time, so that a store with room for part of it (a disk freed a little)
    /// or back for a moment takes what it can. After <c>StoreAttempts</c> failures in a row, a piece is stored one
    /// failure at a time, so an occurrence the store refuses while it takes the others cannot hold up the rest.
    /// </summary>
    /// <returns><see langword="true"/> when nothing waits any more.</returns>
    private async Task<bool> DrainAsync()
    {
        if (!await SettleAbandonedAsync().ConfigureAwait(false))
        {
            return false;
        }

        while (!_buffer.IsEmpty)
        {
            var (groups, occurrences) = _buffer.Take(Math.Max(1, _batchSize / 2));
            var piece = groups.SelectMany(events => events).ToList();
            var outcome = await TryStoreAsync(piece, occurrences).ConfigureAwait(false);
            if (outcome == StoreOutcome.Stored)
            {
                continue;
            }

            if (outcome == StoreOutcome.Failed && _failuresInARow >= _storeAttempts && await IsolateAsync(groups).ConfigureAwait(false))
            {
                continue;
            }

            if (outcome == StoreOutcome.Failed)
            {
                Return(piece);
            }

            return false;
        }

        return _abandoned is null;
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
            var (outcome, failure) = await StoreAsync(events, count).ConfigureAwait(false);
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
                    Return(rest);
                }

                break;
            }
        }

        foreach (var (events, failure) in refused)
        {
            if (storedAny)
            {
                var count = events.Sum(occurrence => (long)occurrence.Occurrences);
                // Logged before it counts as finished, so a flush that returns has seen the log line written.
                TrackerLog.PoisonGivenUp(_logger, count, events[0].Hash, _failuresInARow, _describe(failure));
                _counters.AddLost(count);
                Finish(count);
            }
            else
            {
                Return(events);
            }
        }

        if (storedAny)
        {
            _failuresInARow = 0;
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
        foreach (var (kept, refused) in new[] { (events[1], events[0]), (events[0], events[1]) })
        {
            var (outcome, _) = await StoreAsync([kept with { Occurrences = whole }], count).ConfigureAwait(false);
            if (outcome == StoreOutcome.Stored)
            {
                TrackerLog.DetailsGivenUp(_logger, refused.Hash, _failuresInARow, _describe(failure));
                return (outcome, null);
            }

            if (outcome == StoreOutcome.Abandoned)
            {
                return (outcome, null);
            }
        }

        return (StoreOutcome.Failed, failure);
    }

    /// <summary>Settles a store call that outlived its deadline, once it has ended; <see langword="false"/> while it runs.</summary>
    private async Task<bool> SettleAbandonedAsync()
    {
        if (_abandoned is not { } abandoned)
        {
            return true;
        }

        if (!abandoned.Save.IsCompleted)
        {
            _counters.AddStoreFailure();
            return false;
        }

        _abandoned = null;
        abandoned.Deadline.Dispose();
        try
        {
            var records = await abandoned.Save.ConfigureAwait(false);
            Stored(abandoned.Batch, abandoned.Occurrences, records);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            Return(abandoned.Batch);
        }

        return true;
    }

    private void Return(IEnumerable<ErrorEvent> events)
    {
        foreach (var occurrence in events)
        {
            // Back into the buffer that Take took them from, or first into it when their store call failed.
            Buffer(occurrence);
        }
    }

    /// <summary>
    /// Takes the next batch from the queue and returns how many occurrences it stands for. A full batch means the
    /// writer is behind (a storm): then it takes what else is queued too, and merges each failure's repeats into
    /// its first and latest occurrence with a count, so that the store writes a couple of rows per failure instead
    /// of one per occurrence and keeps up however often one failure repeats. Counts stay exact; what the store keeps
    /// of a storm is each batch's first and latest occurrence of a failure.
    /// </summary>
    private long TakeBatch(ChannelReader<ErrorEvent> reader, List<ErrorEvent> batch)
    {
        while (batch.Count < _batchSize && reader.TryRead(out var occurrence))
        {
            batch.Add(occurrence);
        }

        if (batch.Count < _batchSize || _batchSize < 2)
        {
            return batch.Count;
        }

        foreach (var occurrence in batch)
        {
            _backlog.Add(occurrence);
        }

        // Bounded by the queue's capacity, so one round cannot chase producers that record as fast as it reads.
        long taken = batch.Count;
        while (_backlog.Groups < _batchSize / 2 && taken < _capacity && reader.TryRead(out var more))
        {
            _backlog.Add(more);
            taken++;
        }

        batch.Clear();
        batch.AddRange(_backlog.ToBatch());
        _backlog.Clear();
        return taken;
    }

    /// <summary>
    /// Waits out a retry delay while moving whatever is recorded meanwhile into the merged buffer, so that during an
    /// outage the queue stays empty and a storm costs memory per distinct failure instead of filling the queue.
    /// </summary>
    private async Task BufferWhileWaitingAsync(TimeSpan delay)
    {
        var reader = _channel.Reader;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        waiting.CancelAfter(delay);
        try
        {
            while (await reader.WaitToReadAsync(waiting.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var occurrence))
                {
                    Buffer(occurrence);
                }
            }

            // Completed at shutdown and drained: only the rest of the delay is left to wait.
            await Task.Delay(Timeout.Infinite, waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            // The delay is over.
        }
    }

    private async Task<StoreOutcome> TryStoreAsync(List<ErrorEvent> batch, long occurrences) =>
        (await StoreAsync(batch, occurrences).ConfigureAwait(false)).Outcome;

    /// <summary>
    /// Stores a batch within <c>StoreTimeout</c> and delivers it. A store that does not answer in time is cancelled
    /// and counted as failed; one that ignores the cancellation too is left running, and what it holds is settled
    /// when it ends.
    /// </summary>
    private async Task<(StoreOutcome Outcome, Exception? Failure)> StoreAsync(List<ErrorEvent> batch, long occurrences)
    {
        Task<IReadOnlyList<ErrorRecord>>? save = null;
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        if (_storeTimeout != Timeout.InfiniteTimeSpan)
        {
            deadline.CancelAfter(_storeTimeout);
        }

        try
        {
            // On the thread pool: a store whose driver waits synchronously (Microsoft.Data.Sqlite retries a locked file
            // until its command timeout) must not hold the writer, which meanwhile keeps the queue flowing.
            save = Task.Run(() => _store.SaveAsync(batch, deadline.Token), CancellationToken.None);
            var records = _storeTimeout == Timeout.InfiniteTimeSpan
                ? await save.ConfigureAwait(false)
                : await save.WaitAsync(_storeTimeout + _storeTimeout, _stopping.Token).ConfigureAwait(false);
            Stored(batch, occurrences, records);
            _failuresInARow = 0;
            return (StoreOutcome.Stored, null);
        }
        catch (TimeoutException timeout) when (save is not null)
        {
            _abandoned = (save, batch, occurrences, deadline);
            StoreFailed(occurrences, new TimeoutException($"The store did not answer within {_storeTimeout.TotalMilliseconds:0} ms, and did not stop when cancelled.", timeout));
            return (StoreOutcome.Abandoned, timeout);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            var cause = failure is OperationCanceledException && deadline.IsCancellationRequested
                ? new TimeoutException($"The store did not answer within {_storeTimeout.TotalMilliseconds:0} ms.", failure)
                : failure;
            _failuresInARow++;
            StoreFailed(occurrences, cause);
            return (StoreOutcome.Failed, cause);
        }
        finally
        {
            if (!ReferenceEquals(_abandoned?.Deadline, deadline))
            {
                deadline.Dispose();
            }
        }
    }

    private void Stored(List<ErrorEvent> batch, long occurrences, IReadOnlyList<ErrorRecord>? records)
    {
        if (records is null || records.Count != batch.Count)
        {
            throw new InvalidOperationException(
                $"{_store.GetType().Name}.SaveAsync returned {records?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"} records for {batch.Count} occurrences.");
        }

        _counters.AddStored(occurrences);
        Finish(occurrences);
        // Delivery runs on its own loop: a slow mail server never holds up storing.
        _delivery.Enqueue(batch, records);
    }

    private void StoreFailed(long occurrences, Exception failure)
    {
        _counters.AddStoreFailure();
        _outage.Failed(_buffer.Occurrences + occurrences, _buffer.Groups, _describe(failure));
    }

    private void Buffer(ErrorEvent occurrence)
    {
        var dropped = _buffer.Add(occurrence);
        if (dropped > 0)
        {
            Finish(dropped);
            for (var i = 0; i < dropped; i++)
            {
                OnDropped();
            }
        }

    }

    private void Finish(long occurrences)
    {
        _work.Finish(occurrences);
    }

    private void OnOldestDropped(ErrorEvent dropped)
    {
        // The dropped occurrence had been accepted; it will never be stored, so a flush must not wait for it.
        _work.Finish();
        OnDropped();
    }

    private void OnDropped()
    {
        var dropped = _counters.AddDropped();
        LogDrop(dropped);
    }

    private void LogDrop(long dropped)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastDropLog);
        if ((last < 0 || _time.GetElapsedTime(last, now) >= DropLogInterval) && Interlocked.CompareExchange(ref _lastDropLog, now, last) == last)
        {
            TrackerLog.QueueFull(_logger, _capacity, dropped);
        }
    }

    private enum StoreOutcome
    {
        Stored,
        Failed,
        Abandoned,
    }
}
