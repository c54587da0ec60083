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
    private readonly OutageReport _outage;
    private readonly StoreCalls _calls;
    private readonly OutageDrain _drain;
    private readonly TimeProvider _time;
    private TimeSpan _retryDelay = FirstRetryDelay;
    private long _lastDropLog = -1;
    private int _completing;
    private int _disposed;

    public BackgroundWriter(ErrorTrackerOptions options, IErrorStore store, DeliveryDispatcher delivery, TrackerCounters counters, ILogger logger,
        Func<Exception, string> describe, TimeProvider time)
    {
        _time = time;
        _outage = new OutageReport(logger, time, counters);
        _describe = describe;
        _delivery = delivery;
        _counters = counters;
        _logger = logger;
        _capacity = options.QueueCapacity;
        _batchSize = options.BatchSize;
        _shutdownTimeout = options.ShutdownTimeout;
        _buffer = new MergedOccurrences(options.MaxBufferedGroups);
        _calls = new StoreCalls(store, options.StoreTimeout, Stored, StoreFailed, _stopping.Token);
        _drain = new OutageDrain(_buffer, _calls, options.BatchSize, options.StoreAttempts, Return, GiveUp, logger, describe);
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
                if (_buffer.IsEmpty && !_calls.HasAbandoned)
                {
                    if (!await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
                    {
                        break;
                    }

                    var taken = TakeBatch(reader, batch);
                    var (outcome, _) = await _calls.StoreAsync(batch, taken).ConfigureAwait(false);
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

                if (await _drain.DrainAsync().ConfigureAwait(false))
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

    private void Stored(List<ErrorEvent> batch, long occurrences, IReadOnlyList<ErrorRecord> records)
    {
        _counters.AddStored(occurrences);
        // Delivery runs on its own loop: a slow mail server never holds up storing. Handed over before the
        // occurrences count as finished, so a flush that finds the writer done finds their delivery queued.
        _delivery.Enqueue(batch, records);
        Finish(occurrences);
    }

    private void StoreFailed(long occurrences, Exception failure)
    {
        _counters.AddStoreFailure();
        _outage.Failed(_buffer.Occurrences + occurrences, _buffer.Groups, _describe(failure));
    }

    private void Return(IEnumerable<ErrorEvent> events)
    {
        foreach (var occurrence in events)
        {
            // Back into the buffer that Take took them from, or first into it when their store call failed.
            Buffer(occurrence);
        }
    }

    private void GiveUp(long occurrences)
    {
        _counters.AddLost(occurrences);
        Finish(occurrences);
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
}
