using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace ErrorTracking.AspNetCore.Tests.Support;

/// <summary>
/// Drives the dashboard the way a browser without JavaScript would: keeps cookies, reads pages into a DOM, and
/// submits their forms with the fields they carry.
/// </summary>
internal sealed class Browserless(HttpClient client)
{
    private readonly CookieContainer _cookies = new();
    private static readonly Uri Origin = new("http://localhost/");

    public HttpClient Client => client;

    public async Task<(HttpResponseMessage Response, IHtmlDocument Page)> GetAsync(string url)
    {
        var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, url));
        return (response, await ParseAsync(response));
    }

    /// <summary>Submits a form found on a page, optionally without some of its fields.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(IHtmlFormElement form, params string[] withoutFields)
    {
        var fields = form.Elements.OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name) && !withoutFields.Contains(i.Name))
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
            .ToList();
        var request = new HttpRequestMessage(new HttpMethod(form.Method.ToUpperInvariant()), form.GetAttribute("action"))
        {
            Content = new FormUrlEncodedContent(fields),
        };
        return await SendAsync(request);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, bool withCookies = true)
    {
        var address = new Uri(Origin, request.RequestUri!);
        if (withCookies && _cookies.GetCookieHeader(address) is { Length: > 0 } cookie)
        {
            request.Headers.Add("Cookie", cookie);
        }

        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                _cookies.SetCookies(address, setCookie);
            }
        }

        return response;
    }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
}
