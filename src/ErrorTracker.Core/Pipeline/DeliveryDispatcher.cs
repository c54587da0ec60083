using System.Globalization;
using System.Text;
using System.Threading.Channels;
using ErrorTracking.Configuration;
using ErrorTracking.Diagnostics;
using ErrorTracking.Notification;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Ticketing;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Pipeline;

/// <summary>
/// Decides, after occurrences were stored, what is notified and what goes to a ticket, and hands the work to one
/// <see cref="DeliveryLane"/> per notifier and per ticketing. The decision is a claim in the store
/// (<see cref="IErrorStore.TryClaimDeliveryAsync"/>), so instances of an application sharing a database notify once
/// between them; a per-minute cap turns a storm into one summary. Runs on its own loop: the writer only queues.
/// Everything sent is built from the stored, masked record.
/// </summary>
internal sealed class DeliveryDispatcher : IAsyncDisposable
{
    private const int QueueCapacity = 10_000;
    private const int SummaryLines = 20;
    private static readonly TimeSpan CapWindow = TimeSpan.FromMinutes(1);

    private readonly ErrorTrackerOptions _options;
    private readonly IErrorStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<Exception, string> _describe;
    private readonly string[] _recipients;
    private readonly DeliveryPolicy _notificationPolicy;
    private readonly DeliveryPolicy _ticketPolicy;
    private readonly List<(INotifier Notifier, DeliveryLane Lane)> _notifiers = [];
    private readonly List<(ITicketing Ticketing, DeliveryLane Lane)> _ticketing = [];
    private readonly SemaphoreSlim _referenceLock = new(1, 1);
    private readonly Channel<(ErrorRecord Record, ErrorEvent Occurrence)> _jobs;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private readonly WorkCounter _work = new();

    // The cap's window, touched by the loop only.
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _sentInWindow;
    private readonly List<ErrorNotification> _heldBack = [];
    private int _heldBackCount;

    public DeliveryDispatcher(ErrorTrackerOptions options, IReadOnlyList<INotifier> notifiers, IReadOnlyList<ITicketing> ticketing,
        IErrorStore store, TimeProvider time, ILogger logger, Func<Exception, string> describe)
    {
        _options = options;
        _store = store;
        _time = time;
        _logger = logger;
        _describe = describe;
        _recipients = options.RecipientEmails.Where(r => !string.IsNullOrWhiteSpace(r)).ToArray();
        _notificationPolicy = options.NotificationOnce ? DeliveryPolicy.FirstOccurrence : options.NotificationPolicy;
        _ticketPolicy = options.TicketOnce ? DeliveryPolicy.FirstOccurrence : options.TicketPolicy;
        // Recipients are an email matter: a webhook needs none, and the mail notifier sends nothing without them.
        if (options.SendNotification)
        {
            foreach (var notifier in notifiers)
            {
                _notifiers.Add((notifier, NewLane(notifier.GetType().Name)));
            }
        }

        foreach (var target in ticketing)
        {
            _ticketing.Add((target, NewLane($"{target.GetType().Name} ({target.Name})")));
        }

        _jobs = Channel.CreateBounded<(ErrorRecord, ErrorEvent)>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = _notifiers.Count + _ticketing.Count == 0 ? Task.CompletedTask : Task.Run(RunAsync);

        DeliveryLane NewLane(string target) =>
            new(target, options.DeliveryAttempts, options.DeliveryRetryDelay, time, logger, describe, OnFinished);
    }

    private bool Active => _notifiers.Count + _ticketing.Count > 0;

    /// <summary>Queues the stored occurrences for delivery; never blocks and never throws.</summary>
    public void Enqueue(IReadOnlyList<ErrorEvent> occurrences, IReadOnlyList<ErrorRecord> records)
    {
        if (!Active)
        {
            return;
        }

        for (var i = 0; i < occurrences.Count && i < records.Count; i++)
        {
            _work.Accept();
            if (!_jobs.Writer.TryWrite((records[i], occurrences[i])))
            {
                TrackerLog.DeliveryDropped(_logger, "the delivery queue", records[i].Hash);
                OnFinished();
            }
        }
    }

    /// <summary>
    /// Waits until delivery is idle: what was queued before the call, and the deliveries it led to, delivered or
    /// given up on. A summary the cap is holding back waits for its minute and is not waited for.
    /// </summary>
    public Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        // A job queues its deliveries before it counts as finished, so nothing pending means deliveries included.
        _work.WaitAsync(timeout, untilIdle: true, () => _loop.IsCompleted, cancellationToken);

    /// <summary>Lets pending deliveries finish within <paramref name="timeout"/>, then stops every lane.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        // Real time, whatever the configured clock: a test clock that never moves must not hold shutdown forever.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _jobs.Writer.TryComplete();
        await _loop.WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var lane in Lanes())
        {
            var left = timeout - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            await lane.DrainAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var lane in Lanes())
        {
            await lane.DisposeAsync().ConfigureAwait(false);
        }

        var abandoned = _work.Pending;
        if (abandoned > 0)
        {
            TrackerLog.ShutdownLost(_logger, abandoned, TimeSpan.Zero);
        }
    }

    private IEnumerable<DeliveryLane> Lanes() => _notifiers.Select(n => n.Lane).Concat(_ticketing.Select(t => t.Lane));

    private void OnFinished() => _work.Finish();

    private async Task RunAsync()
    {
        ErrorTracker.MarkInsideTracker();
        var reader = _jobs.Reader;
        var done = 0;
        try
        {
            while (true)
            {
                // The jobs done so far count as finished only once the next wait has started: a flush that finds
                // delivery idle then finds the cap's timer running, so a clock moved after the flush (a test's) moves
                // it too, instead of landing between reading the clock and starting the timer.
                var waiting = StartWaitingForJob(reader);
                _work.Finish(done);
                done = 0;
                bool more;
                try
                {
                    more = await waiting.ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // The cap's minute is over: the summary goes out as the next window opens.
                    OpenWindow(_time.GetUtcNow());
                    continue;
                }

                if (!more)
                {
                    break;
                }

                while (reader.TryRead(out var job))
                {
                    try
                    {
                        await DispatchAsync(job.Record, job.Occurrence).ConfigureAwait(false);
                    }
                    catch (Exception failure) when (!_stopping.IsCancellationRequested)
                    {
                        // The claim itself failed (the store is down): this occurrence is not delivered; the next one
                        // of the group will claim again.
                        TrackerLog.UpdateFailed(_logger, job.Record.Hash, _describe(failure));
                    }
                    finally
                    {
                        done++;
                    }
                }
            }

            SendSummary(_time.GetUtcNow());
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped by disposal.
        }
        finally
        {
            _work.Finish(done);
        }
    }

    // Starts waiting for the next job; while notifications are held back, only until the cap's minute is over (a
    // TimeoutException then), to send their summary even when nothing else happens.
    private ValueTask<bool> StartWaitingForJob(ChannelReader<(ErrorRecord, ErrorEvent)> reader)
    {
        if (_heldBackCount > 0)
        {
            var now = _time.GetUtcNow();
            var windowLeft = _windowStart + CapWindow - now;
            if (windowLeft > TimeSpan.Zero)
            {
                return new(reader.WaitToReadAsync(_stopping.Token).AsTask().WaitAsync(windowLeft, _time, _stopping.Token));
            }

            OpenWindow(now);
        }

        return reader.WaitToReadAsync(_stopping.Token);
    }

    private async Task DispatchAsync(ErrorRecord record, ErrorEvent occurrence)
    {
        var now = _time.GetUtcNow();
        if (_notifiers.Count > 0 && await ClaimAsync(record.Hash, DeliveryChannel.Notification, now, _notificationPolicy, _options.NotificationQuietPeriod).ConfigureAwait(false))
        {
            Notify(Build(record, occurrence), now);
        }

        if (_ticketing.Count > 0 && await ClaimAsync(record.Hash, DeliveryChannel.Ticket, now, _ticketPolicy, _options.TicketQuietPeriod).ConfigureAwait(false))
        {
            Ticket(record, occurrence);
        }
    }

    // Under EveryOccurrence a notification's claim only records when the group was last notified: another instance
    // claiming at the same instant must not suppress this occurrence's mail. A ticket's claim always decides, or two
    // instances would raise two tickets for one new group; at worst a comment is skipped in such a race.
    private async Task<bool> ClaimAsync(string hash, DeliveryChannel channel, DateTimeOffset now, DeliveryPolicy policy, TimeSpan quietPeriod) =>
        await _store.TryClaimDeliveryAsync(hash, channel, now, RepeatAfter(policy, quietPeriod), _stopping.Token).ConfigureAwait(false)
        || (policy == DeliveryPolicy.EveryOccurrence && channel == DeliveryChannel.Notification);

    // Every occurrence claims with no quiet period at all, which still records when the group was last delivered.
    private static TimeSpan? RepeatAfter(DeliveryPolicy policy, TimeSpan quietPeriod) => policy switch
    {
        DeliveryPolicy.EveryOccurrence => TimeSpan.Zero,
        DeliveryPolicy.FirstOccurrence => null,
        _ => quietPeriod,
    };

    private ErrorNotification Build(ErrorRecord record, ErrorEvent occurrence)
    {
        var link = NotificationContent.DashboardLink(_options.DashboardUrl, record.Hash);
        return new ErrorNotification(
            record,
            occurrence,
            NotificationContent.Subject(_options.SubjectPrefix, occurrence),
            NotificationContent.Body(record, occurrence, link),
            NotificationContent.HtmlBody(record, occurrence, link),
            _options.EmailSender,
            _recipients)
        {
            DashboardLink = link,
        };
    }

    private void Notify(ErrorNotification notification, DateTimeOffset now)
    {
        if (now - _windowStart >= CapWindow)
        {
            OpenWindow(now);
        }

        var cap = _options.MaxNotificationsPerMinute;
        if (cap > 0 && _sentInWindow >= cap)
        {
            if (_heldBackCount == 0)
            {
                TrackerLog.NotificationCapReached(_logger, cap);
            }

            _heldBackCount++;
            if (_heldBack.Count < SummaryLines)
            {
                _heldBack.Add(notification);
            }
            else
            {
                _heldBack[^1] = notification;
            }

            return;
        }

        _sentInWindow++;
        Post(notification, [notification.Record.Hash]);
    }

    private void OpenWindow(DateTimeOffset now)
    {
        _windowStart = now;
        _sentInWindow = 0;
        SendSummary(now);
    }

    // What the cap held back in the minute that ended, as one notification counted in the new minute.
    private void SendSummary(DateTimeOffset now)
    {
        if (_heldBackCount == 0)
        {
            return;
        }

        var latest = _heldBack[^1];
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{_heldBackCount} notification(s) were held back by the cap of {_options.MaxNotificationsPerMinute} a minute:")
            .AppendLine().AppendLine();
        foreach (var held in _heldBack)
        {
            text.Append("- ").Append(held.Subject).Append(" (").Append(held.Record.Count.ToString(CultureInfo.InvariantCulture)).Append(" in all")
                .Append(held.DashboardLink is { } link ? ", " + link.AbsoluteUri : "").AppendLine(")");
        }

        if (_heldBackCount > _heldBack.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"- and {_heldBackCount - _heldBack.Count} more").AppendLine();
        }

        var prefix = string.IsNullOrWhiteSpace(_options.SubjectPrefix) ? "" : $"[{_options.SubjectPrefix.Trim()}] ";
        var summary = latest with
        {
            Subject = $"{prefix}{_heldBackCount} more error notification(s) held back",
            Body = text.ToString(),
            HtmlBody = "<!DOCTYPE html><html><body><pre style=\"white-space:pre-wrap\">" + System.Net.WebUtility.HtmlEncode(text.ToString()) + "</pre></body></html>",
            HeldBack = _heldBackCount,
        };
        string[] listed = [.. _heldBack.Select(held => held.Record.Hash).Distinct(StringComparer.Ordinal)];
        _heldBack.Clear();
        _heldBackCount = 0;
        if (now - _windowStart >= CapWindow)
        {
            _windowStart = now;
            _sentInWindow = 0;
        }

        _sentInWindow++;
        Post(summary, listed);
    }

    // The groups are those whose claim the notification stands for: a notification that is given up gives their
    // claims back, so that the groups' next occurrences notify again (as a ticket that could not be raised is raised
    // by the next one) instead of the store saying they were notified when no one was.
    private void Post(ErrorNotification notification, IReadOnlyList<string> groups)
    {
        foreach (var (notifier, lane) in _notifiers)
        {
            _work.Accept();
            var posted = lane.TryPost(new DeliveryLane.Delivery(
                notification.Record.Hash,
                token => notifier.NotifyAsync(notification, token),
                () => ReleaseNotificationClaimsAsync(groups)));
            if (!posted)
            {
                TrackerLog.DeliveryDropped(_logger, notifier.GetType().Name, notification.Record.Hash);
                OnFinished();
            }
        }
    }

    private async Task ReleaseNotificationClaimsAsync(IReadOnlyList<string> groups)
    {
        foreach (var hash in groups)
        {
            await _store.UpdateAsync(hash, new ErrorRecordUpdate { NotificationSent = false }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    // The targets of one claim answer on their own lanes, in any order: the claim is given back only once all of them
    // have answered and none has raised or updated its ticket. Deciding at the first target given up would read the
    // stored references while another target's new ticket is still on its way, and give the claim back wrongly.
    private void Ticket(ErrorRecord record, ErrorEvent occurrence)
    {
        var claim = new TicketClaim(_ticketing.Count);
        foreach (var (ticketing, lane) in _ticketing)
        {
            _work.Accept();
            var raised = new System.Runtime.CompilerServices.StrongBox<string?>();
            var posted = lane.TryPost(new DeliveryLane.Delivery(
                record.Hash,
                async token =>
                {
                    await RaiseOrUpdateAsync(ticketing, record, occurrence, raised, token).ConfigureAwait(false);
                    claim.Delivered();
                },
                () => GiveUpAsync(claim, record.Hash)));
            if (!posted)
            {
                TrackerLog.DeliveryDropped(_logger, ticketing.Name, record.Hash);
                // Counted as given up.
                _ = GiveUpAsync(claim, record.Hash);
                OnFinished();
            }
        }
    }

    private Task GiveUpAsync(TicketClaim claim, string hash) => claim.GivenUp() ? ReleaseTicketClaimAsync(hash) : Task.CompletedTask;

    // A group without any ticket yet must be tried again by its next occurrence. One that has a ticket somewhere keeps
    // its claim: giving it back would make every occurrence comment on that ticket while another tracker is down; the
    // missing one is raised at the next claim, after the quiet period.
    private async Task ReleaseTicketClaimAsync(string hash)
    {
        try
        {
            var stored = (await _store.GetAsync(hash, CancellationToken.None).ConfigureAwait(false))?.Record;
            if (stored is not null && TicketReferences.Parse(stored.TicketReference).Count == 0)
            {
                await _store.UpdateAsync(hash, new ErrorRecordUpdate { TicketRaised = false }, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception failure)
        {
            TrackerLog.UpdateFailed(_logger, hash, _describe(failure));
        }
    }

    private async Task RaiseOrUpdateAsync(ITicketing ticketing, ErrorRecord record, ErrorEvent occurrence,
        System.Runtime.CompilerServices.StrongBox<string?> raisedBefore, CancellationToken cancellationToken)
    {
        if (raisedBefore.Value is { } pending)
        {
            await StoreReferenceAsync(ticketing, record, pending, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The stored reference, not the one read when the occurrence was saved: another instance may have raised
        // the ticket since.
        var current = (await _store.GetAsync(record.Hash, cancellationToken).ConfigureAwait(false))?.Record ?? record;
        if (TicketReferences.Parse(current.TicketReference).TryGetValue(ticketing.Name, out var reference))
        {
            // TicketOnce raises once and never updates: a regression claims again, but adds nothing to the ticket.
            if (_ticketPolicy != DeliveryPolicy.FirstOccurrence)
            {
                await ticketing.UpdateTicketAsync(reference, record, occurrence, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var raised = raisedBefore.Value = await ticketing.RaiseTicketAsync(record, occurrence, cancellationToken).ConfigureAwait(false);
        await StoreReferenceAsync(ticketing, record, raised, cancellationToken).ConfigureAwait(false);
    }

    private async Task StoreReferenceAsync(ITicketing ticketing, ErrorRecord record, string raised, CancellationToken cancellationToken)
    {
        await _referenceLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Several ticketing lanes may raise for one group at once: merge into what is stored now.
            var stored = (await _store.GetAsync(record.Hash, cancellationToken).ConfigureAwait(false))?.Record;
            var references = TicketReferences.Parse(stored?.TicketReference);
            references[ticketing.Name] = raised;
            await _store.UpdateAsync(record.Hash, new ErrorRecordUpdate { TicketReference = TicketReferences.Format(references) }, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            _referenceLock.Release();
        }
    }

    /// <summary>How the ticketing targets of one claim answered: each either delivers or is given up, once.</summary>
    private sealed class TicketClaim(int targets)
    {
        private int _unanswered = targets;
        private int _delivered;

        public void Delivered()
        {
            Volatile.Write(ref _delivered, 1);
            Interlocked.Decrement(ref _unanswered);
        }

        /// <summary>Counts a target given up; <see langword="true"/> when it was the last to answer and none delivered.</summary>
        public bool GivenUp() => Interlocked.Decrement(ref _unanswered) == 0 && Volatile.Read(ref _delivered) == 0;
    }
}
