using ErrorTracking.Notification;
using ErrorTracking.Records;
using ErrorTracking.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Http.Tests.Support;

/// <summary>Masked occurrences, groups and notifications as the pipeline hands them over, and a container to resolve the integrations from.</summary>
public static class Samples
{
    public static readonly Uri Dashboard = new("https://app.example.com/dev/error");

    public static ErrorEvent Occurrence(string message = "Order 42 could not be placed", DateTimeOffset? timestamp = null) =>
        TestEvents.Occurrence(
            TestEvents.HashOf("orders"),
            timestamp: timestamp ?? TestEvents.Epoch.AddHours(2),
            host: "shop.example.com",
            path: "/orders/42",
            method: "POST",
            message: message) with
        {
            Url = "https://shop.example.com/orders/42?coupon=**************",
        };

    public static ErrorRecord Record(ErrorEvent occurrence, long count = 1) => new()
    {
        Hash = occurrence.Hash,
        ExceptionName = occurrence.ExceptionType,
        Message = occurrence.Message,
        Host = occurrence.Host,
        Path = occurrence.Path,
        Method = occurrence.Method,
        Application = "Shop",
        Count = count,
        CreatedOn = TestEvents.Epoch,
        LastSeen = occurrence.Timestamp,
    };

    public static ErrorNotification Notification(ErrorEvent? occurrence = null, long count = 1)
    {
        occurrence ??= Occurrence();
        var record = Record(occurrence, count);
        return new ErrorNotification(
            record,
            occurrence,
            $"[Shop] [{occurrence.Method}] {occurrence.Url} {occurrence.ExceptionType}: {occurrence.Message.Split('\n')[0]}",
            $"URL: {occurrence.Method} {occurrence.Url}\nOccurrences: {count}\n",
            "<html></html>",
            "errors@example.com",
            ["ops@example.com"])
        {
            DashboardLink = new Uri($"{Dashboard}/{record.Hash}"),
        };
    }

    /// <summary>A container with the tracker (dashboard address set) and what <paramref name="add"/> registers, logging everything into <paramref name="logs"/>.</summary>
    public static ServiceProvider Services(Action<IErrorTrackerBuilder> add, CapturedLogs? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        add(services.AddErrorTracker(options => options.DashboardUrl = Dashboard));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
