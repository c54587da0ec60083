using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Testing;

namespace ErrorTracking.Tool.Tests.Support;

/// <summary>Fills a store the way applications do: real exceptions through the facade, plus crafted groups.</summary>
public static class Databases
{
    /// <summary>Two hashes that share their first 8 characters, for the ambiguous prefix.</summary>
    public static readonly string TwinA = "abcdef01" + TestEvents.HashOf("twin a")[8..];

    /// <summary>The other twin.</summary>
    public static readonly string TwinB = "abcdef01" + TestEvents.HashOf("twin b")[8..];

    /// <summary>A group last seen 60 days ago, for purge.</summary>
    public static readonly string Old = TestEvents.HashOf("old group");

    /// <summary>Records through <c>ErrorTracker.Init</c> with <paramref name="configure"/> choosing the store, then saves the crafted groups.</summary>
    public static async Task FillAsync(Action<Configuration.ErrorTrackerOptions> configure, SqlErrorStore store)
    {
        using (ErrorTracker.Init(configure))
        {
            Record(() => PlaceOrder(42));
            Record(() => CheckQuantity(-1));
            Record(() => CheckQuantity(-2));
        }

        var now = DateTimeOffset.UtcNow;
        await store.SaveAsync(
        [
            TestEvents.Occurrence(TwinA, now.AddHours(-2), exceptionType: "System.IO.IOException", message: "twin a", path: "/twins", method: "GET"),
            TestEvents.Occurrence(TwinB, now.AddHours(-3), exceptionType: "System.IO.IOException", message: "twin b", path: "/twins", method: "GET"),
            TestEvents.Occurrence(Old, now.AddDays(-60), exceptionType: "System.TimeoutException", message: "ancient timeout"),
        ], CancellationToken.None);
    }

    private static void Record(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
        {
            ErrorTracker.RecordException(e);
        }
    }

    private static void PlaceOrder(int orderId)
    {
        var provider = "acme-pay";
        throw new InvalidOperationException($"The payment provider {provider} refused order {orderId}.");
    }

    private static void CheckQuantity(int quantity) =>
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
}
