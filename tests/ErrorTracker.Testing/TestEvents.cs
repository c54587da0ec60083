using ErrorTracking.Records;

namespace ErrorTracking.Testing;

/// <summary>Builds occurrences for store tests without capturing real exceptions.</summary>
public static class TestEvents
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string HashOf(string name) => Grouping.Fingerprint.Hash(name);

    public static ErrorEvent Occurrence(
        string hash,
        DateTimeOffset? timestamp = null,
        string host = "",
        string path = "",
        string method = "",
        string exceptionType = "System.InvalidOperationException",
        string message = "Something failed") => new()
        {
            Hash = hash,
            Timestamp = timestamp ?? Epoch,
            ExceptionType = exceptionType,
            Message = message,
            Host = host,
            Path = path,
            Method = method,
            Environment = RuntimeEnvironment.Current,
            Exception = new ExceptionDetail
            {
                Type = exceptionType,
                Message = message,
                Frames =
                [
                    new FrameDetail
                    {
                        DeclaringType = "Shop.OrderService",
                        Method = "Place",
                        Parameters = [new FrameParameter("int", "id")],
                        InApp = true,
                        Variables = [new CapturedVariable("id", RecordedValue.Scalar("42", "int"), VariableOrigin.Explicit)],
                    },
                ],
            },
        };
}
