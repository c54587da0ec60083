namespace ErrorTracking.Notification;

/// <summary>
/// Sends word of a stored failure: the .NET form of upstream's <c>NotificationMixin</c>. Called in the background
/// after the occurrence was stored, never on the thread that recorded it; each notifier runs on its own, so one
/// that throws affects neither recording nor the others. A failure is retried with back-off, except a
/// <see cref="DeliveryRefusedException"/>, which says another attempt would be refused again.
/// </summary>
public interface INotifier
{
    /// <summary>Sends the notification.</summary>
    /// <param name="notification">What happened, with a ready subject and body built from the masked record.</param>
    /// <param name="cancellationToken">Cancels the sending.</param>
    /// <returns>A task that completes when the notification was handed over.</returns>
    Task NotifyAsync(ErrorNotification notification, CancellationToken cancellationToken);
}
