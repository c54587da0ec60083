using OpenQA.Selenium;

namespace ErrorTracking.Browser.Tests.Support;

/// <summary>
/// One web sample with a fresh database and one headless Chromium, shared by the tests of a fixture; the sample's
/// output is printed under every failed test.
/// </summary>
public abstract class SampleInBrowserFixture : BrowserFixture<SampleServer>
{
    /// <inheritdoc />
    protected override Task<SampleServer> StartServerAsync() => SampleServer.StartAsync();
}

/// <summary>
/// One application serving the dashboard and one headless Chromium, shared by the tests of a fixture; the
/// application's output is printed under every failed test.
/// </summary>
/// <typeparam name="TServer">The application.</typeparam>
public abstract class BrowserFixture<TServer>
    where TServer : class, IDashboardServer
{
    private TServer? _server;
    private Chromium? _browser;

    internal TServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    internal Chromium Browser => _browser ?? throw new InvalidOperationException("The fixture has not started.");

    [OneTimeSetUp]
    public async Task StartSampleAndBrowser()
    {
        Chromium.Require();
        try
        {
            _server = await StartServerAsync();
            _browser = Chromium.Start();
            await RecordAsync();
        }
        catch
        {
            if (_server is not null)
            {
                await TestContext.Out.WriteLineAsync("The application's output:\n" + _server.Output);
            }

            // The one-time teardown is not promised to run after a failed one-time setup: no process may outlive it.
            await StopSampleAndBrowser();
            throw;
        }
    }

    [TearDown]
    public async Task PrintSampleOutputOnFailure()
    {
        if (_server is not null && TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await TestContext.Out.WriteLineAsync("The application's output:\n" + _server.Output);
        }
    }

    [OneTimeTearDown]
    public async Task StopSampleAndBrowser()
    {
        try
        {
            _browser?.Dispose();
            _browser = null;
        }
        finally
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
                _server = null;
            }
        }
    }

    /// <summary>Starts the application the browser looks at.</summary>
    protected abstract Task<TServer> StartServerAsync();

    /// <summary>Records what the fixture's tests look at, once, before the first of them.</summary>
    protected abstract Task RecordAsync();

    /// <summary>Opens the dashboard's list and waits until it shows a row for each of <paramref name="paths"/>.</summary>
    internal void WaitUntilListed(params string[] paths) =>
        WaitUntilListed(listed => paths.All(listed.Contains), string.Join(", ", paths));

    /// <summary>Opens the dashboard's list and waits until the paths of its rows satisfy <paramref name="done"/>.</summary>
    internal void WaitUntilListed(Func<List<string>, bool> done, string what)
    {
        // The tracker stores on a background writer: a group shows up a moment after its request failed.
        Browser.Open(Server.Dashboard);
        Browser.WaitFor(driver =>
        {
            if (done(ListedPaths()))
            {
                return true;
            }

            driver.Navigate().Refresh();
            return false;
        }, "the dashboard to list " + what);
    }

    /// <summary>The paths of the rows on the list page now open.</summary>
    internal List<string> ListedPaths() =>
        [.. Browser.Driver.FindElements(By.CssSelector("table.errors tr.group a.detail-link")).Select(a => a.Text)];

    /// <summary>Opens the detail page of the listed group whose path is <paramref name="path"/>, its collapsed parts opened.</summary>
    internal void OpenDetail(string path)
    {
        Browser.Open(Server.Dashboard);
        Browser.Open(DetailAddressOf(path));
        // Open the collapsed parts (properties and data, framework frames), so that what they hold is visible text.
        Browser.Script("for (const d of document.querySelectorAll('details')) { d.open = true; }");
    }

    /// <summary>The detail page address of the listed group whose path is <paramref name="path"/>.</summary>
    internal Uri DetailAddressOf(string path) =>
        new(Browser.Driver.FindElements(By.CssSelector("table.errors tr.group a.detail-link")).Single(a => a.Text == path).GetDomProperty("href")!);
}
