using ErrorTracking.Browser.Tests.Support;
using OpenQA.Selenium;

namespace ErrorTracking.Browser.Tests;

/// <summary>
/// A right-to-left override in a recorded value is shown by the dashboard as an escape in a real browser, not obeyed:
/// <c>invoice_⟨U+202E⟩gnp.exe</c> does not turn into <c>invoice_exe.png</c> on screen.
/// </summary>
[NonParallelizable]
public sealed class VisibleTextTests : SampleInBrowserFixture
{
    private const string Reversed = "invoice_\u202Egnp.exe";
    private const string Shown = "invoice_⟨U+202E⟩gnp.exe";
    private const string Obeyed = "invoice_exe.png";

    private const string LoginPath = "/login";
    private const string ShownOrderPath = "/orders/" + Shown;

    protected override async Task RecordAsync()
    {
        using var client = new HttpClient { BaseAddress = Server.Address };
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = Reversed, ["password"] = "irrelevant" }))
        using (var response = await client.PostAsync(new Uri(LoginPath, UriKind.Relative), form))
        {
            ((int)response.StatusCode).Should().Be(500);
        }

        using (var response = await client.GetAsync(new Uri("/orders/" + Uri.EscapeDataString(Reversed), UriKind.Relative)))
        {
            ((int)response.StatusCode).Should().Be(500);
        }

        // Not by the escaped path: the list must show up to be checked, whichever way it shows the path.
        WaitUntilListed(listed => listed.Contains(LoginPath) && listed.Exists(IsOrderPath), "the login and the order");
    }

    [Test]
    public void The_detail_page_shows_the_override_as_an_escape_in_the_message_the_values_and_the_traceback()
    {
        OpenDetail(LoginPath);

        ExpectShownNotObeyed(Browser.Driver.FindElement(By.CssSelector(".headline .message")).Text);
        ExpectShownNotObeyed(Browser.Driver.FindElement(By.CssSelector("section.request")).Text);
        var argument = Browser.Driver.FindElements(By.CssSelector("table.variables > tbody > tr")).Single(r => r.FindElement(By.TagName("th")).Text == "username");
        argument.FindElements(By.TagName("td"))[^1].Text.Should().Be($"\"{Shown}\"");
        ExpectShownNotObeyed(Browser.Driver.FindElement(By.Id("traceback-text")).Text);
        ExpectNoRawOverride(Browser.Driver.FindElement(By.TagName("body")).Text);
    }

    [Test]
    public void The_list_and_the_detail_page_of_a_path_show_the_override_as_an_escape()
    {
        Browser.Open(Server.Dashboard);
        ExpectNoRawOverride(Browser.Driver.FindElement(By.TagName("body")).Text);

        OpenDetail(ListedPaths().Single(IsOrderPath));
        Browser.Driver.FindElement(By.CssSelector("h1 .title-text")).Text.Should().Be(ShownOrderPath);
        Browser.Driver.Title.Should().Contain(ShownOrderPath).And.NotContain("\u202E");
        ExpectNoRawOverride(Browser.Driver.FindElement(By.TagName("body")).Text);
    }

    private static bool IsOrderPath(string path) => path.StartsWith("/orders/", StringComparison.Ordinal);

    private static void ExpectShownNotObeyed(string text)
    {
        text.Should().Contain(Shown).And.NotContain(Obeyed);
        ExpectNoRawOverride(text);
    }

    private static void ExpectNoRawOverride(string text) => text.Should().NotContain("\u202E");
}
