using System.Globalization;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Http.Delivery;

/// <summary>
/// Replaces the factory's default request logging for these clients. The default writes the full address at
/// Information (a Slack or Mattermost webhook's path is its secret) and, at Trace, every header, whose values
/// are redacted only as long as nobody turns redaction off for debugging. This one writes the method, the host
/// and the outcome at Debug, and a failure as its type only: the delivery pipeline logs failures once, and an
/// HTTP exception at Error level would otherwise be recorded by the logging integration as a new error.
/// </summary>
internal sealed partial class RedactingHttpLogger(ILogger logger, string clientName) : IHttpClientLogger
{
    /// <summary>The category these lines are written under.</summary>
    public const string Category = "ErrorTracking.Http";

    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        Answered(logger, clientName, request.Method.Method, Host(request), (int)response.StatusCode, Milliseconds(elapsed));

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        Failed(logger, clientName, request.Method.Method, Host(request), exception.GetType().Name, Milliseconds(elapsed));

    private static string Host(HttpRequestMessage request) => request.RequestUri is { IsAbsoluteUri: true } address
        ? address.IsDefaultPort ? address.Host : address.Host + ":" + address.Port.ToString(CultureInfo.InvariantCulture)
        : "";

    private static long Milliseconds(TimeSpan elapsed) => (long)elapsed.TotalMilliseconds;

    [LoggerMessage(1, LogLevel.Debug, "{Client}: {Method} to {Host} answered {StatusCode} after {ElapsedMilliseconds} ms")]
    private static partial void Answered(ILogger logger, string client, string method, string host, int statusCode, long elapsedMilliseconds);

    [LoggerMessage(2, LogLevel.Debug, "{Client}: {Method} to {Host} failed after {ElapsedMilliseconds} ms with {ExceptionType}")]
    private static partial void Failed(ILogger logger, string client, string method, string host, string exceptionType, long elapsedMilliseconds);
}
