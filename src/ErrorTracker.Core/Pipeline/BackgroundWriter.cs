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
    private TimeSpan _retryDelay = FirstRetryDelay;
    private long _lastDropLog;
    private int _completing;
    private int _disposed;

    public BackgroundWriter(ErrorTrackerOptions options, IErrorStore store, DeliveryDispatcher delivery, TrackerCounters counters, ILogger logger,
        Func<Exception, string> describe)
    {
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
                if (_buffer.IsEmpty)
                {
                    if (!await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
                    {
                        break;
                    }

                    var taken = TakeBatch(reader, batch);
                    if (await TryStoreAsync(batch, taken).ConfigureAwait(false))
                    {
                        Finish(taken);
                    }
                    else
                    {
                        foreach (var occurrence in batch)
                        {
                            Buffer(occurrence);
                        }
                    }

                    batch.Clear();
                    continue;
                }

                // The store is unavailable: keep taking what is recorded into the buffer, merged, and retry.
                await BufferWhileWaitingAsync(Volatile.Read(ref _completing) == 1 ? FirstRetryDelay : _retryDelay).ConfigureAwait(false);
                while (reader.TryRead(out var occurrence))
                {
                    Buffer(occurrence);
                }

                var waiting = _buffer.Occurrences;
                if (await TryStoreAsync(_buffer.ToBatch(), waiting).ConfigureAwait(false))
                {
                    _buffer.Clear();
                    Finish(waiting);
                    _retryDelay = FirstRetryDelay;
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

    /// <summary>Stores a batch and delivers it; <see langword="false"/> when the store failed and the batch must wait.</summary>
    private async Task<bool> TryStoreAsync(List<ErrorEvent> batch, long occurrences)
    {
        IReadOnlyList<ErrorRecord> records;
        try
        {
            records = await _store.SaveAsync(batch, _stopping.Token).ConfigureAwait(false);
            if (records is null || records.Count != batch.Count)
            {
                throw new InvalidOperationException(
                    $"{_store.GetType().Name}.SaveAsync returned {records?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"} records for {batch.Count} occurrences.");
            }
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            _counters.AddStoreFailure();
            if (_buffer.IsEmpty)
            {
                // Logged when an outage starts, not on every retry of it.
                TrackerLog.StoreFailed(_logger, occurrences, _describe(failure));
            }

            return false;
        }

        _counters.AddStored(occurrences);
        // Delivery runs on its own loop: a slow mail server never holds up storing.
        _delivery.Enqueue(batch, records);
        return true;
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

        _counters.SetBuffered(_buffer.Occurrences);
    }

    private void Finish(long occurrences)
    {
        _counters.SetBuffered(_buffer.Occurrences);
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
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastDropLog);
        if ((last == 0 || now - last >= (long)DropLogInterval.TotalMilliseconds) && Interlocked.CompareExchange(ref _lastDropLog, now, last) == last)
        {
            TrackerLog.QueueFull(_logger, _capacity, dropped);
        }
    }

}
