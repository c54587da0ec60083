using System.Diagnostics;
using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ErrorTracking.Browser.Tests.Support;

/// <summary>
/// Headless Chromium driven through the distribution's chromedriver (Debian's <c>chromium</c> and
/// <c>chromium-driver</c>). Both paths are given to Selenium, so Selenium Manager never tries to download a
/// browser or a driver: the machines running these tests have no network beyond the package registries.
/// </summary>
internal sealed class Chromium : IDisposable
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    /// <summary>How long an explicit wait waits for its condition.</summary>
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);

    private readonly string _profile;

    private Chromium(ChromeDriver driver, string profile)
    {
        Driver = driver;
        _profile = profile;
    }

    public ChromeDriver Driver { get; }

    /// <summary>
    /// Ignores the calling test (or fixture) when Chromium or its driver is not installed; on CI (<c>CI=true</c>)
    /// fails it instead, so a build agent without them cannot pass by skipping the browser tests.
    /// </summary>
    public static void Require()
    {
        var missing = new[] { BrowserPath, DriverPath }.Where(p => !File.Exists(p)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var reason = $"{string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} missing (Debian: apt-get install chromium chromium-driver).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.Ordinal))
        {
            Assert.Fail("Browser tests failed, because " + reason + " CI=true requires them.");
        }

        Assert.Ignore("Browser tests ignored, because " + reason);
    }

    public static Chromium Start()
    {
        var profile = Path.Combine(Path.GetTempPath(), "errortracker-chromium", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions
        {
            BinaryLocation = BrowserPath,
            // An alert opened by a payload must stay open for the test to see it, not be dismissed by the driver.
            UnhandledPromptBehavior = UnhandledPromptBehavior.Ignore,
        };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--window-size=1280,1000", "--user-data-dir=" + profile);
        try
        {
            return new Chromium(new ChromeDriver(service, options, TimeSpan.FromSeconds(30)), profile);
        }
        catch
        {
            service.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> returns a value other than null or false.</summary>
    public T WaitFor<T>(Func<IWebDriver, T?> condition, string what)
    {
        var wait = new WebDriverWait(Driver, WaitTimeout) { Message = "Waited for " + what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    /// <summary>Opens <paramref name="address"/> and waits until the page has loaded and run its deferred scripts.</summary>
    public void Open(Uri address)
    {
        Driver.Navigate().GoToUrl(address);
        WaitForLoad();
    }

    /// <summary>Waits until the current document has loaded (after a click that navigates, say).</summary>
    public void WaitForLoad() =>
        WaitFor(d => Equals(((IJavaScriptExecutor)d).ExecuteScript("return document.readyState"), "complete"), "the page to load");

    /// <summary>
    /// Clicks <paramref name="element"/>, does <paramref name="afterClick"/> (answer a confirm, say), and waits until
    /// the page the click leads to has replaced the current one.
    /// </summary>
    public void ClickAndWaitForNavigation(IWebElement element, Action? afterClick = null)
    {
        var html = Driver.FindElement(By.TagName("html"));
        element.Click();
        afterClick?.Invoke();
        WaitFor(_ => IsStale(html), "the click to navigate away");
        WaitForLoad();
    }

    /// <summary>Waits until the page shows an alert, confirm or prompt.</summary>
    public IAlert WaitForAlert() => WaitFor(d => OpenAlert(d), "a dialog to open");

    /// <summary>The alert, confirm or prompt the page shows, if any.</summary>
    public IAlert? OpenAlert() => OpenAlert(Driver);

    public object? Script(string script, params object[] arguments) => Driver.ExecuteScript(script, arguments);

    /// <summary>
    /// The whole page as PNG, as wide as the window: the viewport is stretched to the page's height for the
    /// capture, so the page is laid out without a vertical scrollbar (a clip of the scrolled page instead would be
    /// measured with the scrollbar and cut its width off the right edge).
    /// </summary>
    public byte[] FullPageScreenshot()
    {
        var width = Convert.ToInt32(Script("return window.innerWidth;"), CultureInfo.InvariantCulture);
        try
        {
            // Twice: without the scrollbar the page is wider, so it may wrap less and end higher.
            for (var pass = 0; pass < 2; pass++)
            {
                var height = Convert.ToInt32(Script("return document.documentElement.scrollHeight;"), CultureInfo.InvariantCulture);
                Cdp("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
                {
                    ["width"] = width,
                    ["height"] = height,
                    ["deviceScaleFactor"] = 1,
                    ["mobile"] = false,
                });
            }

            var shot = Cdp("Page.captureScreenshot", new Dictionary<string, object?> { ["format"] = "png" });
            return Convert.FromBase64String((string)shot["data"]!);
        }
        finally
        {
            Cdp("Emulation.clearDeviceMetricsOverride", []);
        }
    }

    private IDictionary<string, object?> Cdp(string command, Dictionary<string, object?> parameters) =>
        Driver.ExecuteCdpCommand(command, parameters) as IDictionary<string, object?>
        ?? throw new InvalidOperationException($"Chrome DevTools' {command} answered no object.");

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            DeleteProfile();
        }
    }

    private static IAlert? OpenAlert(IWebDriver driver)
    {
        try
        {
            return driver.SwitchTo().Alert();
        }
        catch (NoAlertPresentException)
        {
            return null;
        }
    }

    private static bool IsStale(IWebElement element)
    {
        try
        {
            _ = element.Enabled;
            return false;
        }
        catch (StaleElementReferenceException)
        {
            return true;
        }
        catch (UnknownErrorException error) when (error.Message.Contains("does not belong to the document", StringComparison.Ordinal))
        {
            // Asked while the old document is being torn down, chromedriver reports the node gone this way
            // instead of as a stale reference: the page has been replaced all the same.
            return true;
        }
    }

    private void DeleteProfile()
    {
        // Chromium's helper processes can still be writing to the profile for a moment after Quit returns.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Directory.Delete(_profile, recursive: true);
                return;
            }
            catch (IOException) when (deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                Thread.Sleep(100);
            }
            catch (IOException)
            {
                // A leftover folder under /tmp is not worth failing a test for.
                return;
            }
        }
    }
}
