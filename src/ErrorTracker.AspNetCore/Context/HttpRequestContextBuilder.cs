using System.Diagnostics;
using System.Security.Claims;
using ErrorTracking.Context;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Routing;

namespace ErrorTracking.AspNetCore;

/// <summary>
/// Describes the current request to an occurrence: host, path and method (a registered one, or the bucket of the
/// others, whose real token goes to the context) in the record's own columns, and the
/// URL, route, query, headers, cookies, form, body, user, client address and trace id as request data. Values of
/// credential headers, of the antiforgery form field and of every cookie are replaced whatever the masking rule says,
/// and the names of headers and cookies stay visible whatever it says of the sections' labels; everything else is
/// masked by the tracker afterwards, like any captured value.
/// </summary>
internal sealed class HttpRequestContextBuilder : IContextBuilder
{
    private readonly HttpContext _context;
    private readonly RequestBody _body;
    private readonly string _mask;
    private readonly CredentialNames _credentials;

    public HttpRequestContextBuilder(HttpContext context, RequestBody body, string mask, CredentialNames credentials)
    {
        _context = context;
        _body = body;
        _mask = mask;
        _credentials = credentials;
    }

    private volatile bool _ended;

    /// <summary>The request is over: its HttpContext may already describe another request.</summary>
    public void End() => _ended = true;

    public void Build(CaptureContext context)
    {
        if (_ended)
        {
            return;
        }

        var request = _context.Request;
        context.Host = request.Host.Value ?? "";
        context.Path = (request.PathBase + request.Path).Value ?? "";
        context.Method = StandardMethods.Bucket(request.Method);
        if (context.Method != request.Method)
        {
            // Kept as any client input is, masked and clipped: the column and the grouping only see the bucket.
            context.Extra[StandardMethods.SentMethodKey] = request.Method;
        }

        // Without the query: it is shown decoded under "query", where each parameter is masked by its name; an
        // encoded key (user%5Bpassword%5D) would hide a secret from the text patterns.
        context.Url = UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path);

        if (_context.GetEndpoint() is { } endpoint)
        {
            if (endpoint is RouteEndpoint route)
            {
                context.RequestData["route"] = route.RoutePattern.RawText;
            }

            context.Extra["endpoint"] = endpoint.DisplayName;
        }

        if (request.Query.Count > 0)
        {
            context.RequestData["query"] = request.Query.ToDictionary(q => q.Key, q => Value(q.Value), StringComparer.Ordinal);
        }

        // As sections: a key list naming "cookie", as the default one does, would otherwise mask the cookies whole by
        // their label. Each header is still masked by its own name; every cookie value always is.
        context.SetRequestSection("headers", request.Headers.Select(h => Entry(h.Key, _credentials.IsHeader(h.Key) ? _mask : Value(h.Value))));

        if (request.Cookies.Count > 0)
        {
            // Cookie values are session and antiforgery tokens more often than not: names only.
            context.SetRequestSection("cookies", request.Cookies.Select(c => Entry(c.Key, _mask)));
        }

        if (request.HasFormContentType && _context.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form is { } form)
        {
            context.RequestData["form"] = form.ToDictionary(f => f.Key, f => _credentials.IsFormField(f.Key) ? _mask : Value(f.Value), StringComparer.Ordinal);
            if (form.Files.Count > 0)
            {
                context.RequestData["files"] = form.Files.Select(UploadedFile.Of).ToList();
            }
        }
        else if (_body.Content is string text)
        {
            context.SetUnparsedText("body", text);
        }
        else if (_body.Content is { } body)
        {
            context.RequestData["body"] = body;
        }

        var user = _context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            context.Extra["user.name"] = user.Identity.Name;
            context.Extra["user.id"] = user.FindFirstValue(ClaimTypes.NameIdentifier);
        }

        context.Extra["client_ip"] = _context.Connection.RemoteIpAddress?.ToString();
        context.Extra["trace_id"] = Activity.Current?.TraceId.ToString() ?? _context.TraceIdentifier;
    }

    private static KeyValuePair<string, object?> Entry(string name, object? value) => new(name, value);

    private static object? Value(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 1 ? values[0] : values.ToArray();
}
