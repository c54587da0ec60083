using System.Threading.Channels;
using ErrorTracking.Diagnostics;
using ErrorTracking.Notification;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Pipeline;

/// <summary>
/// One notifier's or ticketing's own queue and worker: it retries a failed delivery with back-off, a bounded
/// number of times, and logs a delivery it gives up on once. Each target has its own lane, so a mail server that
/// is down delays its mails only, never a webhook or a ticket.
/// </summary>
internal sealed class DeliveryLane : IAsyncDisposable
{
    private const int Capacity = 1_000;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    private readonly Channel<Delivery> _queue = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly string _target;
    private readonly int _attempts;
    private readonly TimeSpan _retryDelay;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<Exception, string> _describe;
    private readonly Action _finished;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public DeliveryLane(string target, int attempts, TimeSpan retryDelay, TimeProvider time, ILogger logger, Func<Exception, string> describe, Action finished)
    {
        _target = target;
        _attempts = attempts;
        _retryDelay = retryDelay;
        _time = time;
        _logger = logger;
        _describe = describe;
        _finished = finished;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>One piece of work for the target, and what to do when it is given up.</summary>
    /// <param name="Hash">The group it is about, for the log.</param>
    /// <param name="Send">The delivery itself; may throw, is retried.</param>
    /// <param name="GivenUp">Runs once when every attempt failed.</param>
    public sealed record Delivery(string Hash, Func<CancellationToken, Task> Send, Func<Task>? GivenUp = null);

    /// <summary>Queues a delivery; <see langword="false"/> when the lane is full or closed (the caller counts it as done).</summary>
    public bool TryPost(Delivery delivery) => _queue.Writer.TryWrite(delivery);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        // A target that ignores cancellation must not hold the host's shutdown hostage.
        await _loop.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_loop.IsCompleted)
        {
            _stopping.Dispose();
        }
    }

    /// <summary>Lets the queued deliveries finish (retries included) until <paramref name="timeout"/>, then stops.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync()
    {
        ErrorTracker.MarkInsideTracker();
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    await DeliverAsync(delivery).ConfigureAwait(false);
                }
                catch (Exception) when (!_stopping.IsCancellationRequested)
                {
                    // A logger that throws must not end the lane.
                }
                finally
                {
                    _finished();
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped: what is still queued is counted as done by the dispatcher's shutdown.
        }
    }

    private async Task DeliverAsync(Delivery delivery)
    {
        var delay = _retryDelay > MaxRetryDelay ? MaxRetryDelay : _retryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await delivery.Send(_stopping.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception failure) when (!_stopping.IsCancellationRequested)
            {
                var refused = IsRefusal(failure);
                if (refused || attempt >= _attempts)
                {
                    if (refused)
                    {
                        TrackerLog.DeliveryRefused(_logger, _target, delivery.Hash, attempt, _describe(failure));
                    }
                    else
                    {
                        TrackerLog.DeliveryGivenUp(_logger, _target, delivery.Hash, attempt, _describe(failure));
                    }

                    if (delivery.GivenUp is { } givenUp)
                    {
                        await RunGivenUpAsync(givenUp, delivery.Hash).ConfigureAwait(false);
                    }

                    return;
                }
            }

            await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false);
            delay = delay * 2 > MaxRetryDelay ? MaxRetryDelay : delay * 2;
        }
    }

    // A refusal another attempt would meet again. Of HTTP answers, only those that say the request itself is wrong:
    // 403 is also how some services (GitHub) rate-limit, and 408, 409, 423, 425 and 429 pass with time.
    private static bool IsRefusal(Exception failure) => failure switch
    {
        DeliveryRefusedException => true,
        HttpRequestException { StatusCode: { } status } => (int)status is 400 or 401 or 404 or 405 or 406 or 410 or 411 or 413 or 414 or 415 or 422,
        _ => false,
    };

    private async Task RunGivenUpAsync(Func<Task> givenUp, string hash)
    {
        try
        {
            await givenUp().ConfigureAwait(false);
        }
        catch (Exception failure) when (!_stopping.IsCancellationRequested)
        {
            TrackerLog.UpdateFailed(_logger, hash, _describe(failure));
        }
    }
}
