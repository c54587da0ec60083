namespace ErrorTracking.Notification;

/// <summary>
/// Thrown by an <see cref="INotifier"/> or an <see cref="Ticketing.ITicketing"/> when its target refused the
/// delivery for a reason another attempt would meet again (an unknown address or mailbox, rejected credentials, a
/// request the service calls invalid): the delivery is given up at once instead of being retried
/// <c>DeliveryAttempts</c> times. An <see cref="HttpRequestException"/> carrying such a status (400, 401, 404, 405,
/// 406, 410, 411, 413, 414, 415 or 422) counts as a refusal too; any other exception is retried.
/// </summary>
public sealed class DeliveryRefusedException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public DeliveryRefusedException()
        : base("The target refused the delivery.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What the target refused, and why; it is logged.</param>
    public DeliveryRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What the target refused, and why; it is logged.</param>
    /// <param name="innerException">The target's own failure.</param>
    public DeliveryRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
