using ErrorTracking.Configuration;
using ErrorTracking.Notification;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Ticketing;
using Microsoft.Extensions.Time.Testing;

namespace ErrorTracking.Tests.Support;

/// <summary>A tracker set up through the static facade over an in-memory store and a controllable clock.</summary>
internal sealed class TrackerHarness : IAsyncDisposable
{
    private readonly IDisposable _handle;

    public TrackerHarness(Action<ErrorTrackerOptions>? configure = null)
    {
        _handle = ErrorTracker.Init(options =>
        {
            options.Store = Store;
            options.TimeProvider = Clock;
            options.Notifiers.Add(Notifier);
            options.Ticketing.Add(Tickets);
            configure?.Invoke(options);
        });
    }

    public InMemoryErrorStore Store { get; } = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public CollectingNotifier Notifier { get; } = new();

    public CollectingTicketing Tickets { get; } = new();

    public IErrorTracker Tracker => ErrorTracker.Current!;

    public async Task FlushAsync() =>
        (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("everything recorded should be stored");

    public async Task<ErrorRecordDetail> DetailAsync(string? hash)
    {
        hash.Should().NotBeNull();
        await FlushAsync();
        var detail = await Store.GetAsync(hash!, CancellationToken.None);
        detail.Should().NotBeNull();
        return detail!;
    }

    public async Task<IReadOnlyList<ErrorRecord>> AllAsync()
    {
        await FlushAsync();
        return (await Store.ListAsync(new ErrorQuery { PageSize = 1000 }, CancellationToken.None)).Items;
    }

    public ValueTask DisposeAsync()
    {
        _handle.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A notifier that keeps what it was given.</summary>
internal sealed class CollectingNotifier : INotifier
{
    private readonly List<ErrorNotification> _received = [];

    public IReadOnlyList<ErrorNotification> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public Task NotifyAsync(ErrorNotification notification, CancellationToken cancellationToken)
    {
        lock (_received)
        {
            _received.Add(notification);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A ticketing system that keeps the tickets it raised and the updates it was given.</summary>
internal sealed class CollectingTicketing : ITicketing
{
    private readonly List<(ErrorRecord Record, ErrorEvent Occurrence)> _raised = [];
    private readonly List<(string Reference, ErrorRecord Record)> _updated = [];

    public string Name => "collecting";

    /// <summary>How many of the next raises fail.</summary>
    public int FailNextRaises { get; set; }

    public IReadOnlyList<(ErrorRecord Record, ErrorEvent Occurrence)> Raised
    {
        get
        {
            lock (_raised)
            {
                return [.. _raised];
            }
        }
    }

    public IReadOnlyList<(string Reference, ErrorRecord Record)> Updated
    {
        get
        {
            lock (_raised)
            {
                return [.. _updated];
            }
        }
    }

    public Task<string> RaiseTicketAsync(ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken)
    {
        lock (_raised)
        {
            if (FailNextRaises > 0)
            {
                FailNextRaises--;
                throw new HttpRequestException("The tracker answered 500.");
            }

            _raised.Add((record, occurrence));
            return Task.FromResult($"T-{_raised.Count}");
        }
    }

    public Task UpdateTicketAsync(string reference, ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken)
    {
        lock (_raised)
        {
            _updated.Add((reference, record));
        }

        return Task.CompletedTask;
    }
}
