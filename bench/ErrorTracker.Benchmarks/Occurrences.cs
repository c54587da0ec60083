using ErrorTracking.Records;

namespace ErrorTracking.Benchmarks;

/// <summary>
/// Builds occurrences without throwing real exceptions: capture cost is not what these benchmarks measure, only
/// what the store does with an occurrence once it has one.
/// </summary>
internal static class Occurrences
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Resources =
    [
        "orders", "customers", "invoices", "products", "carts", "payments", "shipments", "refunds", "coupons", "reviews",
        "accounts", "sessions", "reports", "exports", "imports", "webhooks", "tenants", "users", "roles", "audits",
    ];

    private static readonly string[] ExceptionTypes =
    [
        "System.InvalidOperationException", "System.ArgumentException", "System.NullReferenceException",
        "System.TimeoutException", "System.Net.Http.HttpRequestException", "System.IO.IOException",
        "System.Collections.Generic.KeyNotFoundException", "System.FormatException",
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE"];

    /// <summary>Every fifth group lives under this resource, so a path filter matches a known 5% of the groups.</summary>
    public const string FilteredResource = "invoices";

    /// <summary>The group key of group <paramref name="index"/>; the real fingerprint function, so hashes look like production ones.</summary>
    public static string HashOf(int index) => Grouping.Fingerprint.Hash("bench-group-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The columns a group row of group <paramref name="index"/> carries; shared by the event builder and the bulk fill.</summary>
    public static (string ExceptionType, string Message, string Host, string Path, string Method) Describe(int index) =>
    (
        ExceptionTypes[index % ExceptionTypes.Length],
        $"Operation {index} failed while processing the request",
        $"web-{index % 4}",
        $"/api/{Resources[index % Resources.Length]}/{index % 1000}",
        Methods[index % Methods.Length]
    );

    /// <summary>
    /// One occurrence of group <paramref name="index"/>: a three-frame stack with a captured variable and a couple of
    /// request values, roughly what a small web request error serializes to.
    /// </summary>
    public static ErrorEvent Create(int index, DateTimeOffset timestamp)
    {
        var (exceptionType, message, host, path, method) = Describe(index);
        return new ErrorEvent
        {
            Hash = HashOf(index),
            Timestamp = timestamp,
            ExceptionType = exceptionType,
            Message = message,
            Host = host,
            Path = path,
            Method = method,
            Url = "https://" + host + path,
            RequestData = [new NamedValue("User-Agent", RecordedValue.Scalar("Mozilla/5.0 (bench)"))],
            Environment = RuntimeEnvironment.Current,
            Exception = new ExceptionDetail
            {
                Type = exceptionType,
                Message = message,
                Frames =
                [
                    Frame("Shop.Api.OrdersController", "Post", inApp: true),
                    Frame("Shop.Services.OrderService", "PlaceAsync", inApp: true),
                    Frame("Shop.Data.OrderRepository", "InsertAsync", inApp: true),
                ],
            },
        };
    }

    private static FrameDetail Frame(string type, string method, bool inApp) => new()
    {
        DeclaringType = type,
        Method = method,
        Parameters = [new FrameParameter("int", "id")],
        File = "/src/Shop/" + type.Replace('.', '/') + ".cs",
        Line = 42,
        InApp = inApp,
        Variables = [new CapturedVariable("id", RecordedValue.Scalar("42", "int"), VariableOrigin.Explicit)],
    };
}
