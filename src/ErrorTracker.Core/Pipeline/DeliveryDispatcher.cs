using ErrorTracking.Configuration;
using ErrorTracking.Diagnostics;
using ErrorTracking.Notification;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Ticketing;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Pipeline;

/// <summary>
/// Runs notification and ticketing after occurrences were stored, as upstream does, each notifier and ticketing
/// on its own so one failure touches nothing else. Only masked records reach them.
/// </summary>
internal sealed class DeliveryDispatcher
{
    private readonly ErrorTrackerOptions _options;
    private readonly IReadOnlyList<INotifier> _notifiers;
    private readonly IReadOnlyList<ITicketing> _ticketing;
    private readonly IErrorStore _store;
    private readonly ILogger _logger;
    private readonly Func<Exception, string> _describe;
    private readonly string[] _recipients;

    public DeliveryDispatcher(ErrorTrackerOptions options, IReadOnlyList<INotifier> notifiers, IReadOnlyList<ITicketing> ticketing,
        IErrorStore store, ILogger logger, Func<Exception, string> describe)
    {
        _describe = describe;
        _options = options;
        _notifiers = notifiers;
        _ticketing = ticketing;
        _store = store;
        _logger = logger;
        _recipients = options.RecipientEmails.Where(r => !string.IsNullOrWhiteSpace(r)).ToArray();
    }

    public async Task DeliverAsync(IReadOnlyList<ErrorEvent> occurrences, IReadOnlyList<ErrorRecord> records, CancellationToken cancellationToken)
    {
        var notifying = _options.SendNotification && _notifiers.Count > 0 && _recipients.Length > 0;
        if (!notifying && _ticketing.Count == 0)
        {
            return;
        }

        var notifiedInBatch = new HashSet<string>(StringComparer.Ordinal);
        var ticketedInBatch = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < occurrences.Count && i < records.Count; i++)
        {
            var record = records[i];
            if (notifying && (!_options.NotificationOnce || (!record.NotificationSent && !notifiedInBatch.Contains(record.Hash))))
            {
                if (await NotifyAsync(record, occurrences[i], cancellationToken).ConfigureAwait(false) && notifiedInBatch.Add(record.Hash)
                    && !record.NotificationSent)
                {
                    await MarkAsync(record.Hash, new ErrorRecordUpdate { NotificationSent = true }, cancellationToken).ConfigureAwait(false);
                }
            }

            if (_ticketing.Count > 0 && (!_options.TicketOnce || (!record.TicketRaised && !ticketedInBatch.Contains(record.Hash))))
            {
                if (await RaiseTicketAsync(record, occurrences[i], cancellationToken).ConfigureAwait(false) && ticketedInBatch.Add(record.Hash)
                    && !record.TicketRaised)
                {
                    await MarkAsync(record.Hash, new ErrorRecordUpdate { TicketRaised = true }, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<bool> NotifyAsync(ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken)
    {
        var notification = new ErrorNotification(
            record,
            occurrence,
            NotificationContent.Subject(_options.SubjectPrefix, occurrence),
            NotificationContent.Body(record, occurrence),
            NotificationContent.Body(record, occurrence),
            _options.EmailSender,
            _recipients);
        var delivered = false;
        foreach (var notifier in _notifiers)
        {
            try
            {
                await notifier.NotifyAsync(notification, cancellationToken).ConfigureAwait(false);
                delivered = true;
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                TrackerLog.NotifierFailed(_logger, notifier.GetType().FullName ?? notifier.GetType().Name, record.Hash, _describe(failure));
            }
        }

        return delivered;
    }

    private async Task<bool> RaiseTicketAsync(ErrorRecord record, ErrorEvent occurrence, CancellationToken cancellationToken)
    {
        var raised = false;
        foreach (var ticketing in _ticketing)
        {
            try
            {
                await ticketing.RaiseTicketAsync(record, occurrence, cancellationToken).ConfigureAwait(false);
                // Interim: the delivery rework stores the reference and updates known tickets.
                raised = true;
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                TrackerLog.TicketingFailed(_logger, ticketing.GetType().FullName ?? ticketing.GetType().Name, record.Hash, _describe(failure));
            }
        }

        return raised;
    }

    private async Task MarkAsync(string hash, ErrorRecordUpdate update, CancellationToken cancellationToken)
    {
        try
        {
            await _store.UpdateAsync(hash, update, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            TrackerLog.UpdateFailed(_logger, hash, _describe(failure));
        }
    }
}
