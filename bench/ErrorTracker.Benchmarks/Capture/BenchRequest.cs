using ErrorTracking.Context;

namespace ErrorTracking.Benchmarks.Capture;

/// <summary>
/// The request a capture benchmark pretends to be inside: what an ASP.NET Core request carries into a recording
/// (host, path, method, URL, route, query, a browser's headers), supplied to each side the way it takes request data.
/// </summary>
internal static class BenchRequest
{
    public const string Host = "shop.example.com";
    public const string Path = "/api/orders/1042/checkout";
    public const string Method = "POST";
    public const string Url = "https://shop.example.com/api/orders/1042/checkout";
    public const string Route = "/api/orders/{id}/checkout";
    public const string QueryString = "?currency=CHF&express=true";
    public const string Endpoint = "HTTP: POST /api/orders/{id}/checkout";

    public static readonly KeyValuePair<string, string>[] Query = [new("currency", "CHF"), new("express", "true")];

    public static readonly KeyValuePair<string, string>[] Headers =
    [
        new("Accept", "application/json"),
        new("Accept-Encoding", "gzip, deflate, br"),
        new("Accept-Language", "de-CH,de;q=0.9,en;q=0.8"),
        new("Content-Type", "application/json"),
        new("Host", Host),
        new("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"),
        new("X-Request-Id", "6f1c2d9e-4b7a-4e0f-9a51-3c8d2b7e1f04"),
    ];
}

/// <summary>Describes <see cref="BenchRequest"/> on every capture, as the web integration's builder describes the current request.</summary>
internal sealed class BenchRequestContextBuilder : IContextBuilder
{
    public void Build(CaptureContext context)
    {
        context.Host = BenchRequest.Host;
        context.Path = BenchRequest.Path;
        context.Method = BenchRequest.Method;
        context.Url = BenchRequest.Url;
        context.RequestData["route"] = BenchRequest.Route;
        context.RequestData["query"] = BenchRequest.Query.ToDictionary(q => q.Key, q => q.Value, StringComparer.Ordinal);
        context.SetRequestSection("headers", BenchRequest.Headers.Select(h => new KeyValuePair<string, object?>(h.Key, h.Value)));
        context.Extra["endpoint"] = BenchRequest.Endpoint;
    }
}
