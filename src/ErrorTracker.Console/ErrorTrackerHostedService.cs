using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ErrorTracking.Hosting;

/// <summary>
/// Ties the tracker to the host's lifetime: built at start (so the static facade points at it from then on),
/// every <see cref="BackgroundService"/> watched for a fault, and what is pending stored when the host stops,
/// within the tracker's ShutdownTimeout counted from the start of the stop (or the host's own limit, if shorter).
/// </summary>
internal sealed class ErrorTrackerHostedService : IHostedLifecycleService
{
    private readonly IServiceProvider _services;
    // A fault is seen twice, when the task faults and when the host stops, often at once: the second must wait until
    // the first has recorded it, or it records it again (the tracker knows a throw only once its capture is done),
    // and the stop must not go on to store before the first has queued it.
    private readonly HashSet<Task> _recordedFaults = new(ReferenceEqualityComparer.Instance);
    private IErrorTracker? _tracker;

    public ErrorTrackerHostedService(IServiceProvider services) => _services = services;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _tracker = _services.GetRequiredService<IErrorTracker>();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // ExecuteTask exists once every hosted service has started.
        foreach (var service in BackgroundServices())
        {
            service.ExecuteTask?.ContinueWith(
                (task, state) => Record(task, (Type)state!),
                service.GetType(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Shutdown starts here: the other services' stops, the flush and disposal all share ShutdownTimeout.
        (_tracker as ErrorTrackerEngine)?.BeginShutdown();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // A fault that stopped the host may not have reached its continuation yet.
        foreach (var service in BackgroundServices())
        {
            if (service.ExecuteTask is { IsFaulted: true } faulted)
            {
                Record(faulted, service.GetType());
            }
        }

        if (_tracker is ErrorTrackerEngine engine)
        {
            await engine.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (_tracker is not null)
        {
            try
            {
                // The host's shutdown token bounds the wait; what is still pending is reported when the tracker is disposed.
                await _tracker.FlushAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown time ran out: stopping goes on, and must not fail because of the tracker.
            }
        }
    }

    private IEnumerable<BackgroundService> BackgroundServices() => _services.GetServices<IHostedService>().OfType<BackgroundService>();

    private void Record(Task faulted, Type serviceType)
    {
        lock (_recordedFaults)
        {
            if (!_recordedFaults.Add(faulted))
            {
                return;
            }

            var failure = faulted.Exception;
            var exception = failure?.InnerExceptions.Count == 1 ? failure.InnerExceptions[0] : failure;
            if (exception is not null)
            {
                _tracker?.RecordException(exception, context: new Dictionary<string, object?>
                {
                    ["background_service"] = serviceType.FullName,
                });
            }
        }
    }
}
