using ErrorTracking.Browser.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OpenQA.Selenium;

namespace ErrorTracking.Browser.Tests;

/// <summary>
/// Markup in every field the tracker records — exception message, properties and data, host, form field names and
/// values, cookie and header names, header values, variable names and values, context keys and values, an endpoint's
/// captured argument, and so the text traceback that repeats them — is shown by the dashboard as text in a real
/// browser and never runs; a <c>javascript:</c> URL never becomes a link. A test-only application in this process
/// records them (the web sample has no route that records variables or context).
/// </summary>
[NonParallelizable]
public sealed class XssEveryFieldTests : BrowserFixture<InProcessServer>
{
    // Each sets window.__xss, whichever way it would get to run.
    private const string Img = "<img src=x onerror=\"window.__xss=1\">";
    private const string Script = "</script><script>window.__xss=2</script>";
    private const string Svg = "\"><svg onload=window.__xss=3>";
    private const string JavaScriptUrl = "javascript:window.__xss=4";

    // No '=' nor ';' in a cookie's name, no space in a host: what each can carry.
    private const string CookieName = "</script><script>window.__xss++</script>";
    private const string Host = "\"><svg/onload=window.__xss=5>";
    private const string HeaderName = "<img src=x onerror=\"window.__xss=6\">";

    private const string RecordedPath = "/recorded";
    private const string ArgumentsPath = "/arguments";

    // What the payloads would have made had they been parsed as markup (the day charts are svg without onload).
    private const string InjectedElements = "img, svg[onload], iframe, body script, a[href^='javascript:' i]";

    private static readonly string[] RecordedPayloads = [Img, Script, Svg, JavaScriptUrl, CookieName, Host, HeaderName];

    protected override Task<InProcessServer> StartServerAsync() => InProcessServer.StartAsync(
        (context, next) =>
        {
            // Kestrel refuses markup in a Host header or a header's name, and ASP.NET Core drops a cookie whose name is
            // not a token: a proxy, a server or a cookie parser in front that lets them through is what this stands for.
            if (context.Request.Path == RecordedPath)
            {
                context.Request.Host = new HostString(Host);
                context.Request.Headers[HeaderName] = "sent by a proxy";
                context.Features.Set<IRequestCookiesFeature>(new RequestCookiesFeature(new Cookies(new() { [CookieName] = "session-token" })));
            }

            return next(context);
        },
        app =>
        {
            app.MapPost(RecordedPath, async (HttpContext http, IErrorTracker tracker) =>
            {
                // The form is read, as an application reading it would, so that it is recorded with the request.
                await http.Request.ReadFormAsync();
                try
                {
                    throw new PayloadException(Img) { Detail = Svg, Link = JavaScriptUrl, Data = { [Script] = Img, ["link"] = JavaScriptUrl } };
                }
                catch (PayloadException exception)
                {
                    tracker.RecordException(
                        exception,
                        variables: new Dictionary<string, object?> { [Img] = Script, [Svg] = JavaScriptUrl, [Script] = Svg },
                        context: new Dictionary<string, object?> { [Script] = Img, [Svg] = JavaScriptUrl, ["homepage"] = JavaScriptUrl });
                    return Results.Ok("recorded");
                }
            });
            app.MapGet(ArgumentsPath, string (string note) => throw new InvalidOperationException("The note was refused.")).CaptureArguments();
        });

    protected override async Task RecordAsync()
    {
        using var client = new HttpClient { BaseAddress = Server.Address };

        using (var request = new HttpRequestMessage(HttpMethod.Post, RecordedPath))
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { [Img] = Svg, [Script] = JavaScriptUrl, ["comment"] = Script });
            request.Headers.TryAddWithoutValidation("Cookie", "session=session-token").Should().BeTrue();
            request.Headers.TryAddWithoutValidation("X-Comment", Img).Should().BeTrue();
            request.Headers.TryAddWithoutValidation("Referer", JavaScriptUrl).Should().BeTrue();
            using var response = await client.SendAsync(request);
            ((int)response.StatusCode).Should().Be(200);
        }

        using (var response = await client.GetAsync(new Uri($"{ArgumentsPath}?note={Uri.EscapeDataString(Svg + Script)}", UriKind.Relative)))
        {
            ((int)response.StatusCode).Should().Be(500);
        }

        WaitUntilListed(RecordedPath, ArgumentsPath);
    }

    [Test]
    public void The_list_shows_the_message_and_the_host_as_text()
    {
        Browser.Open(Server.Dashboard);

        ExpectNothingRan();
        ExpectShownAsText(Browser.Driver.FindElement(By.TagName("body")).Text, Img, Host);
        var row = Browser.Driver.FindElements(By.CssSelector("table.errors tr.group")).Single(r => r.FindElement(By.CssSelector("a.detail-link")).Text == RecordedPath);
        row.FindElement(By.CssSelector("td[data-label=Host]")).Text.Should().Be(Host);
        row.FindElement(By.CssSelector(".message")).Text.Should().Be(Img);
    }

    [Test]
    public void The_detail_page_shows_every_recorded_field_as_text()
    {
        OpenDetail(RecordedPath);

        ExpectNothingRan();
        var page = Browser.Driver.FindElement(By.TagName("body")).Text;
        ExpectShownAsText(page, RecordedPayloads);
        Browser.Driver.FindElement(By.CssSelector(".headline .message")).Text.Should().Be(Img);
        Names("section.exceptions .exception-data dt").Should().Contain([nameof(PayloadException.Detail), nameof(PayloadException.Link), Script]);
        Names("table.variables th").Should().Contain([Img, Svg, Script]);
        Names("section.request dt").Should().Contain([Img, Script, CookieName, HeaderName, "X-Comment", "Referer"], "form fields, cookies and headers are listed by name");
        Browser.Driver.FindElement(By.CssSelector("section.request")).Text.Should().NotContain("session-token", "a cookie's value is masked");
    }

    [Test]
    public void The_text_traceback_holds_every_field_as_text()
    {
        OpenDetail(RecordedPath);

        var traceback = Browser.Driver.FindElement(By.Id("traceback-text"));
        traceback.FindElements(By.XPath("./*")).Should().BeEmpty("the traceback is one text node");
        ExpectShownAsText(traceback.Text, RecordedPayloads);

        var copy = Browser.Driver.FindElement(By.CssSelector("section.traceback button[data-copy]"));
        copy.Click();
        Browser.WaitFor(_ => copy.Text != "Copy as text", "the copy button to answer");
        ExpectNothingRan();
    }

    [Test]
    public void The_detail_page_of_an_endpoint_shows_its_captured_argument_as_text()
    {
        OpenDetail(ArgumentsPath);

        ExpectNothingRan();
        var row = Browser.Driver.FindElements(By.CssSelector("table.variables > tbody > tr")).Single(r => r.FindElement(By.TagName("th")).Text == "note");
        row.FindElement(By.CssSelector("td.origin")).Text.Should().Be("argument");
        row.FindElements(By.TagName("td"))[^1].Text.Should().Contain(Svg + Script);
        ExpectShownAsText(Browser.Driver.FindElement(By.TagName("body")).Text, Svg + Script);
    }

    [Test]
    public async Task The_json_api_answers_json_that_the_browser_shows_as_text()
    {
        Browser.Open(Server.Dashboard);
        var detail = DetailAddressOf(RecordedPath);
        var hash = detail.Segments[^1].TrimEnd('/');
        var addresses = new[] { new Uri(Server.Dashboard, "api/errors"), new Uri(Server.Dashboard, $"api/errors/{hash}") };
        using var client = new HttpClient();
        foreach (var address in addresses)
        {
            using var response = await client.GetAsync(address);
            ((int)response.StatusCode).Should().Be(200, address.ToString());
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/json", address.ToString());
            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            json.RootElement.GetRawText().Should().Contain("__xss", "{0} holds the payloads", address);

            Browser.Open(address);
            ExpectNothingRan();
            Browser.Driver.FindElement(By.TagName("body")).Text.Should().Contain("__xss", "{0} is shown as text", address);
        }
    }

    private List<string> Names(string selector) => [.. Browser.Driver.FindElements(By.CssSelector(selector)).Select(e => e.Text)];

    private void ExpectNothingRan()
    {
        Browser.OpenAlert().Should().BeNull("no payload may open a dialog");
        Browser.Script("return window.__xss === undefined ? null : String(window.__xss);").Should().BeNull("no payload may run");
        // Not only blocked by the content security policy: never parsed as markup in the first place.
        Browser.Script($"return document.querySelectorAll(\"{InjectedElements}\").length;").Should().Be(0L);
        Browser.Script("return [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length;")
            .Should().Be(0L, "no element has an event handler attribute");
    }

    private static void ExpectShownAsText(string text, params string[] payloads)
    {
        foreach (var payload in payloads)
        {
            text.Should().Contain(payload);
        }
    }

    /// <summary>The request's cookies, as a lenient parser would have read them.</summary>
    private sealed class Cookies(Dictionary<string, string> cookies) : IRequestCookieCollection
    {
        public int Count => cookies.Count;

        public ICollection<string> Keys => cookies.Keys;

        public string? this[string key] => cookies.GetValueOrDefault(key);

        public bool ContainsKey(string key) => cookies.ContainsKey(key);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => cookies.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => cookies.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>An application's exception with properties of its own.</summary>
    private sealed class PayloadException(string message) : Exception(message)
    {
        public string? Detail { get; init; }

        public string? Link { get; init; }
    }
}
