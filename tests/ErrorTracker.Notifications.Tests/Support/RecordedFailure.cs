using System.Net;
using ErrorTracking.Notification;
using ErrorTracking.Records;
using ErrorTracking.Rendering;
using ErrorTracking.Storage;

namespace ErrorTracking.Notifications.Tests.Support;

/// <summary>A notification about a real exception, recorded, masked and stored by the tracker and read back from its store.</summary>
internal static class RecordedFailure
{
    /// <summary>
    /// A secret the failing code had at hand; the tracker masks it, so no message may contain it. Made at run time: a
    /// literal would be in this file's source, which the source context shows as it is.
    /// </summary>
    public static readonly string Secret = "S3cr3t-" + Guid.NewGuid().ToString("N");

    public const string Sender = "ErrorTracker <errors@example.com>";

    public static readonly IReadOnlyList<string> Recipients = ["ops@example.com", "Dev Team <dev@example.com>"];

    public static async Task<ErrorNotification> NotificationAsync()
    {
        var store = new InMemoryErrorStore();
        string hash;
        using (ErrorTracker.Init(options =>
        {
            options.Store = store;
            options.CaptureUnhandledExceptions = false;
        }))
        {
            try
            {
                PlaceOrder(orderId: 42, password: Secret);
                throw new AssertionException("PlaceOrder did not fail.");
            }
            catch (InvalidOperationException exception)
            {
                hash = ErrorTracker.RecordException(exception, new { orderId = 42, password = Secret })
                    ?? throw new AssertionException("The exception was not recorded.");
            }

            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("the occurrence is stored");
        }

        var detail = await store.GetAsync(hash, CancellationToken.None) ?? throw new AssertionException("The record was not stored.");
        return For(detail.Record, detail.LatestOccurrence);
    }

    /// <summary>
    /// Subject and bodies built here rather than by the tracker's notification pipeline, so these tests pin the
    /// notifier alone; the tracker's traceback renderer supplies the realistic, masked text.
    /// </summary>
    public static ErrorNotification For(ErrorRecord record, ErrorEvent occurrence)
    {
        var text = $"Occurrences: {record.Count}\n\n{TracebackRenderer.Render(occurrence)}";
        var html = $"<!DOCTYPE html><html><body><h1>{WebUtility.HtmlEncode(occurrence.ExceptionType)}</h1><pre>{WebUtility.HtmlEncode(text)}</pre></body></html>";
        return new ErrorNotification(record, occurrence, $"[Shop] {occurrence.ExceptionType}: {occurrence.Message}", text, html, Sender, Recipients);
    }

    private static void PlaceOrder(int orderId, string password)
    {
        // A message with a secret in it, as careless code writes: the tracker masks it in text too.
        throw new InvalidOperationException($"Order {orderId} could not be charged: gateway refused password={password}");
    }
}
