using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ErrorTracking.Http.Content;

namespace ErrorTracking.Http.Delivery;

/// <summary>
/// Sends JSON to one configured service through a named client of the factory, and throws on anything but a
/// success. Shared by every integration so that none of them can word a failure differently: an exception says
/// which service, the operation, the host and the status, never a header, a token, or the address's path and
/// query (a Slack or Mattermost webhook's path is its secret). What the service answered is quoted only as its
/// short error message, and dropped whole when it repeats one of the secrets this endpoint sends.
/// </summary>
internal sealed class JsonEndpoint
{
    private const int MaxQuotedLength = 200;

    private readonly IHttpClientFactory _clients;
    private readonly string _clientName;
    private readonly string _service;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly string[] _secrets;
    private readonly MediaTypeWithQualityHeaderValue _accept;

    /// <param name="clients">The factory.</param>
    /// <param name="clientName">The named client, whose registration sets the timeout and logging.</param>
    /// <param name="service">How messages name the service ("GitHub issues API").</param>
    /// <param name="headers">Headers for every request; their values are treated as secrets.</param>
    /// <param name="accept">The media type asked for.</param>
    /// <param name="secrets">Further values that must never be quoted, such as a token inside a header value.</param>
    public JsonEndpoint(
        IHttpClientFactory clients,
        string clientName,
        string service,
        IEnumerable<KeyValuePair<string, string>> headers,
        string accept = "application/json",
        IEnumerable<string>? secrets = null)
    {
        _clients = clients;
        _clientName = clientName;
        _service = service;
        _headers = [.. headers];
        _secrets = [.. _headers.Select(h => h.Value).Concat(secrets ?? []).Where(s => !string.IsNullOrEmpty(s))];
        _accept = new MediaTypeWithQualityHeaderValue(accept);
    }

    /// <summary>POSTs <paramref name="payload"/> and ignores what a successful answer holds.</summary>
    public async Task PostAsync<T>(Uri address, T payload, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(address, payload, type, operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POSTs <paramref name="payload"/> and returns the successful answer's JSON.</summary>
    public async Task<JsonElement> PostForJsonAsync<T>(Uri address, T payload, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(address, payload, type, operation, cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = await JsonDocument.ParseAsync(
                await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return document.RootElement.Clone();
        }
        catch (JsonException failure)
        {
            throw new InvalidDataException($"{_service} accepted the request to {operation} ({Where(address)}) but did not answer with JSON.", failure);
        }
    }

    /// <summary>The exception to throw, naming the service, for a successful answer that lacks what was expected.</summary>
    public InvalidDataException UnexpectedAnswer(Uri address, string operation, string expected) =>
        new($"{_service} accepted the request to {operation} ({Where(address)}) but its answer has no {expected}.");

    private async Task<HttpResponseMessage> SendAsync<T>(Uri address, T payload, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
    {
        var client = _clients.CreateClient(_clientName);
        // Serialized up front rather than streamed: a Content-Length instead of a chunked body suits every receiver.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(payload, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = content };
        request.Headers.Accept.Add(_accept);
        foreach (var (name, value) in _headers)
        {
            // Names were checked at start; TryAdd keeps a value the typed parser would reject (an odd token) as given.
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
        {
            // The client's Timeout surfaces as a cancellation; a caller that treats cancellations as its own
            // shutdown would drop the delivery instead of retrying it.
            throw new TimeoutException(
                $"{_service} did not answer the request to {operation} ({Where(address)}) within {client.Timeout.ToString("c", CultureInfo.InvariantCulture)}.",
                timeout);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            // The status's name, not the server's reason phrase: that is the server's text, like a body.
            var said = await QuoteAsync(response, cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException(
                $"{_service} answered {(int)response.StatusCode} ({response.StatusCode}) to the request to {operation} ({Where(address)}){said}",
                inner: null,
                response.StatusCode);
        }
    }

    private static string Where(Uri address) => $"POST to {address.Host}{(address.IsDefaultPort ? "" : ":" + address.Port.ToString(CultureInfo.InvariantCulture))}";

    /// <summary>": message" from a JSON error's "message" (GitHub, Gitea) or a short text answer (Slack), else ".".</summary>
    private async Task<string> QuoteAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? text = null;
        try
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
            if (mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
            {
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("message", out var message)
                    && message.ValueKind == JsonValueKind.String)
                {
                    text = message.GetString();
                }
            }
            else if (mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
            {
                text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception unreadable) when (unreadable is JsonException or HttpRequestException or IOException)
        {
            // The status code is the failure; an unreadable explanation of it is no reason to hide it.
        }

        text = text?.ReplaceLineEndings(" ").Trim();
        if (string.IsNullOrEmpty(text) || _secrets.Any(secret => text.Contains(secret, StringComparison.Ordinal)))
        {
            return ".";
        }

        return ": " + PlainText.Cut(text, MaxQuotedLength);
    }
}
