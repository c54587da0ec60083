using ErrorTracking.Browser.Tests.Support;
using OpenQA.Selenium;

namespace ErrorTracking.Browser.Tests;

/// <summary>
/// Markup an attacker puts in a request (its path, a header, a form field that ends up in the exception message)
/// is shown by the dashboard as text in a real browser, and never runs.
/// </summary>
[NonParallelizable]
public sealed class XssTests : SampleInBrowserFixture
{
    // Each sets a marker, renames the page and opens an alert, whichever way it would get to run.
    private const string PathPayload = "<img src=x onerror=\"window.__pwned=1;document.title='pwned';alert('path')\">";
    private const string HeaderPayload = "<script>window.__pwned=2;document.title='pwned';alert('header')</script>";
    private const string QueryPayload = "<iframe srcdoc=\"<script>parent.__pwned=3</script>\"></iframe>";
    private const string MessagePayload = "<svg onload=\"window.__pwned=4;document.title='pwned';alert('message')\">";

    private const string ValueErrorPath = "/orders/forty-two";
    private const string LoginPath = "/login";

    // What the injected elements would be in the DOM had the payload been parsed as markup.
    private const string InjectedElements = "img[onerror], svg[onload], iframe, body script";

    protected override async Task RecordAsync()
    {
        using var client = new HttpClient { BaseAddress = Server.Address };

        // Encoded as Chromium encodes a path typed into the address bar: space, quote, < and > only.
        var path = "/" + PathPayload.Replace(" ", "%20", StringComparison.Ordinal).Replace("\"", "%22", StringComparison.Ordinal)
            .Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal);
        using (var response = await client.GetAsync(new Uri(path, UriKind.Relative)))
        {
            ((int)response.StatusCode).Should().Be(404);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"{ValueErrorPath}?note={Uri.EscapeDataString(QueryPayload)}"))
        {
            request.Headers.TryAddWithoutValidation("X-Evil", HeaderPayload).Should().BeTrue();
            using var response = await client.SendAsync(request);
            ((int)response.StatusCode).Should().Be(500);
        }

        using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = MessagePayload, ["password"] = "irrelevant" }))
        using (var response = await client.PostAsync(new Uri(LoginPath, UriKind.Relative), form))
        {
            ((int)response.StatusCode).Should().Be(500);
        }

        WaitUntilListed("/" + PathPayload, ValueErrorPath, LoginPath);
    }

    [Test]
    public void The_list_shows_the_payloads_as_text()
    {
        Browser.Open(Server.Dashboard);

        ExpectNothingRan();
        ExpectShownAsText(PathPayload, MessagePayload);
    }

    [Test]
    public void The_detail_page_of_a_path_payload_shows_it_as_text()
    {
        Browser.Open(Server.Dashboard);
        Browser.Open(DetailAddressOf("/" + PathPayload));

        ExpectNothingRan();
        ExpectShownAsText(PathPayload);
        Browser.Driver.FindElement(By.CssSelector("h1 .title-text")).Text.Should().Be("/" + PathPayload);
    }

    [Test]
    public void The_detail_page_of_a_header_and_query_payload_shows_them_as_text()
    {
        Browser.Open(Server.Dashboard);
        Browser.Open(DetailAddressOf(ValueErrorPath));

        ExpectNothingRan();
        ExpectShownAsText(HeaderPayload, QueryPayload);
    }

    [Test]
    public void The_detail_page_of_a_message_payload_shows_it_as_text()
    {
        Browser.Open(Server.Dashboard);
        Browser.Open(DetailAddressOf(LoginPath));

        ExpectNothingRan();
        ExpectShownAsText(MessagePayload);
        Browser.Driver.FindElement(By.CssSelector(".headline .message")).Text.Should().Contain(MessagePayload);
    }

    private void ExpectNothingRan()
    {
        Browser.OpenAlert().Should().BeNull("no payload may open a dialog");
        Browser.Script("return window.__pwned === undefined ? null : String(window.__pwned);").Should().BeNull("no payload may run");
        Browser.Driver.Title.Should().NotBe("pwned");
        // Not only blocked by the content security policy: never parsed as markup in the first place.
        Browser.Script($"return document.querySelectorAll('{InjectedElements}').length;").Should().Be(0L);
    }

    private void ExpectShownAsText(params string[] payloads)
    {
        var text = Browser.Driver.FindElement(By.TagName("body")).Text;
        foreach (var payload in payloads)
        {
            text.Should().Contain(payload);
        }
    }
}
