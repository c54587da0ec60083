using System.Text;
using System.Text.Json;
using ErrorTracking.Configuration;
using ErrorTracking.Records;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ErrorTracking.AspNetCore;

/// <summary>
/// Records what fails in a request: unhandled exceptions (then re-thrown, so the application's own error
/// handling still runs), exceptions an exception handler already handled, 5xx responses, and with
/// <see cref="ErrorTrackerOptions.TrackAllExceptions"/> the configured 4xx responses. Every recording made while
/// the request runs, through the middleware or by the application's own code, carries the request's context.
/// Requests to the dashboard are never recorded.
/// </summary>
internal sealed class ErrorTrackerMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IErrorTracker _tracker;
    private readonly ErrorTrackerOptions _options;
    private readonly HashSet<int> _trackedStatuses;
    private readonly PathString _dashboard;
    private readonly CredentialNames _credentials;

    public ErrorTrackerMiddleware(RequestDelegate next, IErrorTracker tracker, IOptions<ErrorTrackerOptions> options,
        IOptions<AntiforgeryOptions> antiforgery)
    {
        _next = next;
        _tracker = tracker;
        _options = options.Value;
        _trackedStatuses = [.. _options.TrackedStatusCodes];
        _dashboard = Dashboard.DashboardRoutes.PrefixOf(_options);
        _credentials = new CredentialNames(antiforgery.Value);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(_dashboard, StringComparison.OrdinalIgnoreCase) || IsDashboard(context))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        if (IsReadableBody(context.Request) && !context.Request.HasFormContentType)
        {
            // Forms are shown from what the application read (IFormFeature); other small bodies are kept so the
            // part the application read can be shown after a failure.
            context.Request.EnableBuffering();
        }

        var body = new RequestBody();
        var requestContext = new HttpRequestContextBuilder(context, body, _options.MaskWith, _credentials);
        try
        {
            await TrackAsync(context, body, requestContext).ConfigureAwait(false);
        }
        finally
        {
            requestContext.End();
        }
    }

    private async Task TrackAsync(HttpContext context, RequestBody body, HttpRequestContextBuilder requestContext)
    {
        using var scope = _tracker.BeginScope().AddContextBuilder(requestContext).RecordsEscapingExceptions();
        // The middleware records what it sees itself; the scope carries the request's context and the arguments the
        // endpoint filters hand it when a handler fails (they find it among the request's features), and takes the
        // failures of decorated calls, which it records when they escape, or when it ends if they were handled.
        scope.Complete();
        var outerScope = context.Features.Get<ErrorScope>();
        context.Features.Set(scope);
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (!IsDashboard(context))
        {
            await ReadBodyAsync(context, body).ConfigureAwait(false);
            _tracker.RecordException(exception);
            throw;
        }
        finally
        {
            context.Features.Set(outerScope);
        }

        if (IsDashboard(context))
        {
            // Routing ran after this middleware and chose the dashboard (mapped below a group or a path base).
            return;
        }

        if (context.Features.Get<IExceptionHandlerFeature>()?.Error is { } handled)
        {
            await ReadBodyAsync(context, body).ConfigureAwait(false);
            _tracker.RecordException(handled);
            return;
        }

        var status = context.Response.StatusCode;
        if (status >= 500 || (_options.TrackAllExceptions && _trackedStatuses.Contains(status)))
        {
            await ReadBodyAsync(context, body).ConfigureAwait(false);
            // Status, method and route group it, never a stack: the middleware's own frames differ between a new
            // connection and a kept-alive one, a sync and an async continuation, and would split one answer into
            // several groups. A 404 and a 401 of one route are two groups, two ids of one route one. Never the raw
            // path when no endpoint matched, nor a method outside the registered set: a scanner's random paths or
            // methods would each make a group and push real errors out. Both are still in the record.
            var where = context.GetEndpoint() is Microsoft.AspNetCore.Routing.RouteEndpoint route ? route.RoutePattern.RawText : "(no endpoint)";
            var method = StandardMethods.Bucket(context.Request.Method);
            _tracker.CaptureGroupedMessage(
                $"HTTP {status} {ReasonPhrases.GetReasonPhrase(status)}: {method} {where}",
                $"http-status\n{status}\n{method}\n{where}",
                status >= 500 ? ErrorLevel.Error : ErrorLevel.Warning);
        }
    }

    private static bool IsDashboard(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<Dashboard.DashboardEndpointMetadata>() is not null;

    private static bool IsReadableBody(HttpRequest request) =>
        request.ContentLength is not 0 && request.ContentType is { } type
        && (type.Contains("json", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || request.HasFormContentType);

    // After a failure only, and only a body the application started reading: an upload or a streaming request
    // it never read is not pulled from the client just to be shown.
    private async Task ReadBodyAsync(HttpContext context, RequestBody body)
    {
        var request = context.Request;
        try
        {
            if (!IsReadableBody(request) || request.HasFormContentType || !request.Body.CanSeek)
            {
                return;
            }

            if (request.Body.Position == 0)
            {
                body.Content = "<not read by the application>";
                return;
            }

            // Only what the application read, which the buffer already holds: nothing more is pulled from the client.
            var consumed = request.Body.Position;
            request.Body.Position = 0;
            var limit = _options.MaxRequestBodyLength;
            var bytes = new byte[(int)Math.Min(consumed, Math.Min(int.MaxValue, (long)limit * 4 + 4))];
            await request.Body.ReadExactlyAsync(bytes, context.RequestAborted).ConfigureAwait(false);
            var text = Encoding.UTF8.GetString(bytes);
            if (text.Length > limit || bytes.Length < consumed)
            {
                body.Content = text[..Math.Min(limit, text.Length)] + $"... [cut at {limit} characters]";
                return;
            }

            body.Content = request.ContentType!.Contains("json", StringComparison.OrdinalIgnoreCase) && TryParse(text) is { } json ? json : text;
        }
        catch (Exception failure) when (failure is IOException or InvalidOperationException or InvalidDataException or OperationCanceledException)
        {
            body.Content = $"<body could not be read: {failure.GetType().Name}>";
        }
        finally
        {
            if (request.Body.CanSeek)
            {
                request.Body.Position = 0;
            }
        }
    }

    private static JsonElement? TryParse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
