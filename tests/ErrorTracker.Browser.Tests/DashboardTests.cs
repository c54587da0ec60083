using System.Net;
using System.Text;
using ErrorTracking.Browser.Tests.Support;
using OpenQA.Selenium;

namespace ErrorTracking.Browser.Tests;

/// <summary>
/// A person's session in real headless Chromium: every failure of the web sample triggered from its home page,
/// then the dashboard read, filtered and changed. The tests share the recorded failures; they run in order
/// because the last one resolves and deletes groups the others look at.
/// </summary>
[NonParallelizable]
public sealed class DashboardTests : SampleInBrowserFixture
{
    private const string ValueErrorPath = "/orders/forty-two";
    private const string LoginPath = "/login";
    private const string PaymentPath = "/api/payments";
    private const string AsyncPath = "/reports/monthly";
    private const string NotFoundPath = "/no/such/page";

    // Chromium asks for /favicon.ico on its own, when it likes; the sample records that 404 as well.
    private const string FaviconPath = "/favicon.ico";

    private static readonly string[] AllPaths = [ValueErrorPath, LoginPath, PaymentPath, AsyncPath, NotFoundPath];

    // What the home page posts: its login form, and the payment its script sends. None of it may be kept or shown.
    private static readonly string[] Secrets =
    [
        "correct horse battery staple",
        "4111 1111 1111 1111",
        // The cvv on its own is three digits that a timestamp can hold; quoted, it is the recorded string value.
        "\"737\"",
        "sk_live_sample_4f7a9c",
    ];

    protected override Task RecordAsync()
    {
        var home = Server.Address;

        Browser.Open(home);
        Browser.ClickAndWaitForNavigation(Browser.Driver.FindElement(By.Id("value-error")));
        ExpectSamplesErrorPage();

        Browser.Open(home);
        Browser.ClickAndWaitForNavigation(Browser.Driver.FindElement(By.CssSelector("#login button[type=submit]")));
        ExpectSamplesErrorPage();

        Browser.Open(home);
        Browser.Driver.FindElement(By.Id("pay")).Click();
        Browser.WaitFor(d => d.FindElement(By.Id("pay-result")).Text.StartsWith("answered 500", StringComparison.Ordinal), "the payment's answer");

        Browser.Open(home);
        Browser.ClickAndWaitForNavigation(Browser.Driver.FindElement(By.Id("async-error")));
        ExpectSamplesErrorPage();

        Browser.Open(home);
        Browser.ClickAndWaitForNavigation(Browser.Driver.FindElement(By.Id("not-found")));
        Browser.Driver.FindElement(By.TagName("body")).Text.Should().Contain("404");

        WaitUntilListed(AllPaths);
        return Task.CompletedTask;
    }

    [Test, Order(1)]
    public void Every_failure_triggered_in_the_browser_is_a_group_in_the_list()
    {
        Browser.Open(Server.Dashboard);

        ListedFailures().Should().BeEquivalentTo(AllPaths);
        var rows = Browser.Driver.FindElements(By.CssSelector("table.errors tr.group"))
            .Where(r => r.FindElement(By.CssSelector("a.detail-link")).Text != FaviconPath).ToList();
        rows.Select(r => r.FindElement(By.CssSelector(".method")).Text).Should().BeEquivalentTo(["GET", "POST", "POST", "GET", "GET"]);
        rows.Should().OnlyContain(r => r.FindElement(By.CssSelector(".badge")).Text == "unresolved");
        rows.Should().OnlyContain(r => r.FindElement(By.CssSelector(".count")).Text == "1");
        Browser.Driver.FindElement(By.CssSelector("h1 .total")).Text.Should().Be($"{ListedPaths().Count} groups");
    }

    [Test, Order(2)]
    public void The_filter_form_narrows_the_list_to_the_matching_groups()
    {
        Browser.Open(Server.Dashboard);

        var search = Browser.Driver.FindElement(By.CssSelector("form.filters input[name=q]"));
        search.SendKeys("locked after too many attempts");
        Browser.ClickAndWaitForNavigation(Browser.Driver.FindElement(By.CssSelector("form.filters button[type=submit]")));

        ListedPaths().Should().Equal(LoginPath);
        Browser.Driver.Url.Should().Contain("q=locked");
        Browser.Driver.FindElement(By.CssSelector("form.filters input[name=q]")).GetDomProperty("value").Should().Be("locked after too many attempts");

        Browser.ClickAndWaitForNavigation(Browser.Driver.FindElement(By.CssSelector("form.filters a.button")));
        Browser.Driver.FindElement(By.CssSelector("form.filters select[name=method] option[value=POST]")).Click();
        Browser.ClickAndWaitForNavigation(Browser.Driver.FindElement(By.CssSelector("form.filters button[type=submit]")));

        ListedPaths().Should().BeEquivalentTo([LoginPath, PaymentPath]);
    }

    [Test, Order(3)]
    public void Screenshots_of_the_list_and_of_a_detail_page()
    {
        Browser.Open(Server.Dashboard);
        var list = Browser.FullPageScreenshot();
        var detailAddress = DetailAddressOf(AsyncPath);
        Browser.Open(detailAddress);
        var detail = Browser.FullPageScreenshot();

        Screenshots.Save("dashboard-list.png", list);
        Screenshots.Save("dashboard-detail.png", detail);
        list.Should().StartWith(Screenshots.PngSignature);
        detail.Should().StartWith(Screenshots.PngSignature);
    }

    [Test, Order(4)]
    public async Task Secrets_sent_by_the_browser_are_on_no_dashboard_page_nor_in_the_database_file()
    {
        Browser.Open(Server.Dashboard);
        var pages = new Dictionary<string, string> { ["the list"] = Browser.Driver.PageSource };
        foreach (var path in AllPaths)
        {
            Browser.Open(Server.Dashboard);
            Browser.Open(DetailAddressOf(path));
            pages["the detail page of " + path] = Browser.Driver.PageSource;
        }

        using (var client = new HttpClient())
        {
            pages["the API's list"] = await client.GetStringAsync(new Uri(Server.Dashboard, "api/errors?pageSize=50"));
        }

        // The payment's body is shown, its secrets by name only.
        Browser.Open(Server.Dashboard);
        Browser.Open(DetailAddressOf(PaymentPath));
        foreach (var name in new[] { "card", "apiKey" })
        {
            Browser.Driver.FindElements(By.XPath($"//section[@class='request']//dt[.='{name}']/following-sibling::dd[1]/span[@class='v-masked']"))
                .Should().ContainSingle($"the body's {name} is shown masked");
        }

        foreach (var (page, html) in pages)
        {
            var text = WebUtility.HtmlDecode(html);
            foreach (var secret in Secrets)
            {
                text.Should().NotContain(secret, $"{page} must not show it");
            }
        }

        var files = new[] { Server.DatabaseFile, Server.DatabaseFile + "-wal" }.Where(File.Exists).ToDictionary(f => Path.GetFileName(f), ReadShared);
        files.Values.Count(bytes => Holds(bytes, "card declined")).Should().BePositive("the payment's occurrence is in the files searched");
        foreach (var (file, bytes) in files)
        {
            foreach (var secret in Secrets)
            {
                Holds(bytes, secret).Should().BeFalse($"{file} must not hold {secret}");
            }
        }
    }

    [Test, Order(5)]
    public void A_collapsed_framework_frame_opens_when_its_summary_is_clicked()
    {
        Browser.Open(Server.Dashboard);
        Browser.ClickAndWaitForNavigation(Browser.Driver.FindElements(By.CssSelector("a.detail-link")).Single(a => a.Text == AsyncPath));

        var inApp = Browser.Driver.FindElements(By.CssSelector("details.frame.in-app"));
        inApp.Should().NotBeEmpty().And.OnlyContain(f => IsOpen(f));
        Browser.Driver.FindElement(By.CssSelector("details.frame.in-app .line.failing")).Displayed.Should().BeTrue();
        var framework = Browser.Driver.FindElements(By.CssSelector("details.frame.framework"));
        framework.Should().NotBeEmpty().And.OnlyContain(f => !IsOpen(f));

        var frame = framework[0];
        frame.FindElement(By.TagName("summary")).Click();

        Browser.WaitFor(_ => IsOpen(frame), "the frame to open");
    }

    [Test, Order(5)]
    public void The_sample_services_decorated_methods_show_their_arguments_under_their_own_frames()
    {
        Browser.Open(Server.Dashboard);
        Browser.ClickAndWaitForNavigation(Browser.Driver.FindElements(By.CssSelector("a.detail-link")).Single(a => a.Text == AsyncPath));

        // ReportService is [TrackExceptions]: each of its methods the exception crossed, awaits included, shows its arguments.
        ArgumentsOf("ConvertAsync").Should().Contain(("total", "argument")).And.Contain(("currency", "argument"));
        ArgumentsOf("MonthlyTotalAsync").Should().Contain(("currency", "argument")).And.Contain(("month", "argument"));
    }

    private List<(string Name, string Origin)> ArgumentsOf(string method) =>
        Browser.Driver.FindElements(By.CssSelector("details.frame.in-app"))
            .Single(f => f.FindElement(By.CssSelector("summary code.signature")).Text.Contains("." + method + "(", StringComparison.Ordinal))
            .FindElements(By.CssSelector("table.variables > tbody > tr"))
            .Select(row => (row.FindElement(By.TagName("th")).Text, row.FindElement(By.CssSelector("td.origin")).Text))
            .ToList();

    [Test, Order(6)]
    public void A_group_resolved_shows_as_resolved_and_a_group_deleted_after_confirming_is_gone()
    {
        Browser.Open(Server.Dashboard);
        Browser.Open(DetailAddressOf(ValueErrorPath));
        Browser.Driver.FindElement(By.CssSelector(".actions .badge")).Text.Should().Be("unresolved");

        Browser.ClickAndWaitForNavigation(Browser.Driver.FindElement(By.CssSelector(".actions button.resolve")));

        Browser.Driver.FindElement(By.CssSelector(".actions .badge")).Text.Should().Be("resolved");
        Browser.Driver.FindElements(By.CssSelector(".actions button.reopen")).Should().ContainSingle();
        Browser.Open(new Uri(Server.Dashboard, "?status=resolved"));
        ListedPaths().Should().Equal(ValueErrorPath);

        Browser.Open(Server.Dashboard);
        var notFound = DetailAddressOf(NotFoundPath);
        Browser.Open(notFound);
        var delete = Browser.Driver.FindElement(By.CssSelector(".actions button.danger"));

        delete.Click();
        var refused = Browser.WaitForAlert();
        refused.Text.Should().Be("Delete this group and all its occurrences?");
        refused.Dismiss();
        Browser.Driver.Url.Should().Be(notFound.ToString(), "a dismissed confirm submits nothing");

        Browser.ClickAndWaitForNavigation(delete, afterClick: () => Browser.WaitForAlert().Accept());

        Browser.Driver.Url.Should().Be(Server.Dashboard.ToString());
        ListedFailures().Should().BeEquivalentTo(AllPaths.Except([NotFoundPath]));
        Browser.Driver.FindElement(By.CssSelector("h1 .total")).Text.Should().Be($"{ListedPaths().Count} groups");
        Browser.Open(notFound);
        Browser.Driver.FindElement(By.TagName("h1")).Text.Should().Be("Not found");
    }

    private List<string> ListedFailures() => [.. ListedPaths().Where(p => p != FaviconPath)];

    private void ExpectSamplesErrorPage() =>
        Browser.Driver.FindElement(By.TagName("h1")).Text.Should().Be("Something went wrong", "the sample's exception handler answered");

    private bool IsOpen(IWebElement details) => Browser.Script("return arguments[0].open;", details) is true;

    private static bool Holds(byte[] bytes, string text) => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private static byte[] ReadShared(string file)
    {
        // The sample still has the database open and may write to it.
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
