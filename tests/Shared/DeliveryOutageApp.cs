using System.Diagnostics;
using System.Net;
using ErrorTracking.Configuration;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ErrorTracking.Testing.Web;

/// <summary>
/// A real Kestrel application with <c>UseErrorTracker</c> whose delivery targets (mail, tickets) are down, for the
/// "SMTP server down" and "ticket API down" reliability tests. The tracker's clock is fake: a delivery that failed
/// waits for its retry until the test advances the clock, so the test can show every application request answered
/// while delivery is still retrying, then let the retries run out. Linked into the test projects that have the
/// integrations (Http, Notifications), so that neither references the other.
/// </summary>
public sealed class DeliveryOutageApp : IAsyncDisposable
{
    /// <summary>How many times a delivery is tried before it is given up.</summary>
    public const int Attempts = 3;

    /// <summary>The first retry's delay, on the fake clock; doubled for each retry after.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest any single wait of these tests may take in real time. Each wait ends as soon as what it waits for
    /// holds, so this only bounds a failing run, and leaves room for a machine running every test project at once.
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one application request may take: loopback, so milliseconds; the margin is for a busy machine. A
    /// request held by a delivery would wait for a retry on the fake clock, which does not move while requests are
    /// sent, so it would not end at all.
    /// </summary>
    public static readonly TimeSpan SlowestRequest = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;

    private DeliveryOutageApp(WebApplication app, Uri address, CapturedLogs logs, InMemoryErrorStore store, FakeTimeProvider clock)
    {
        _app = app;
        Address = address;
        Logs = logs;
        Store = store;
        Clock = clock;
        Tracker = app.Services.GetRequiredService<IErrorTracker>();
    }

    /// <summary>The application's root.</summary>
    public Uri Address { get; }

    /// <summary>Everything logged, at every level.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>The tracker's store.</summary>
    public InMemoryErrorStore Store { get; }

    /// <summary>The tracker's clock; it moves only when the test advances it.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The application's tracker.</summary>
    public IErrorTracker Tracker { get; }

    /// <summary>
    /// Starts the application on a free loopback port: <c>/ok</c> answers 200, <c>/fails/{kind}</c> throws (the
    /// application's exception handler answers 500), <c>/records/{kind}</c> records a caught exception and answers 200.
    /// </summary>
    /// <param name="integrations">Adds the delivery targets on the tracker's builder.</param>
    /// <param name="configure">Sets the tracker's options after the defaults of these tests.</param>
    public static async Task<DeliveryOutageApp> StartAsync(Action<IErrorTrackerBuilder> integrations, Action<ErrorTrackerOptions>? configure = null)
    {
        var logs = new CapturedLogs();
        var store = new InMemoryErrorStore();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        integrations(builder.Services.AddErrorTracker(o =>
        {
            o.Store = store;
            o.TimeProvider = clock;
            o.CaptureUnhandledExceptions = false;
            o.DashboardUrl = new Uri("https://shop.example/dev/error");
            o.DeliveryAttempts = Attempts;
            o.DeliveryRetryDelay = RetryDelay;
            o.ShutdownTimeout = TimeSpan.FromSeconds(2);
            configure?.Invoke(o);
        }));
        var app = builder.Build();
        FailingShop.Map(app);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new DeliveryOutageApp(app, new Uri(address.TrimEnd('/') + "/"), logs, store, clock);
    }

    /// <summary>
    /// Sends <paramref name="count"/> requests in turn (a third each to <c>/ok</c>, <c>/fails/…</c> and
    /// <c>/records/…</c>), checks each got the application's own status and body within
    /// <see cref="SlowestRequest"/>, and answers the slowest's time.
    /// </summary>
    public async Task<TimeSpan> SendRequestsAsync(int count)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = Deadline };
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < count; i++)
        {
            var (url, status, body) = (i % 3) switch
            {
                0 => ("ok", HttpStatusCode.OK, "fine"),
                1 => ($"fails/{(i % 2 == 0 ? "card" : "stock")}", HttpStatusCode.InternalServerError, FailingShop.Handled),
                _ => ("records/visa", HttpStatusCode.OK, "\"recorded and carried on\""),
            };
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            watch.Stop();
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            response.StatusCode.Should().Be(status, $"request {i} to /{url} is answered as the application answers it");
            text.Should().Be(body, $"request {i} to /{url}");
            watch.Elapsed.Should().BeLessThan(SlowestRequest, $"request {i} to /{url} is not held by a delivery");
        }

        return slowest;
    }

    /// <summary>A loopback port nothing listens on: connecting to it is refused at once.</summary>
    public static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Waits in real time, no longer than <see cref="Deadline"/>, until <paramref name="condition"/> holds.</summary>
    public static async Task Eventually(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            waited.Elapsed.Should().BeLessThan(Deadline, "{0} by now", what);
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Moves the fake clock until <paramref name="condition"/> holds, no longer than <see cref="Deadline"/> in real
    /// time; in steps, because a retry's timer is started after the attempt before it. A step is the longest back-off
    /// these deliveries wait, so every step that finds a retry waiting fires it, however slowly the machine lets the
    /// attempts run between steps.
    /// </summary>
    public async Task AdvanceClockUntil(Func<bool> condition, string what)
    {
        var longestBackOff = RetryDelay * (1 << (Attempts - 2));
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            waited.Elapsed.Should().BeLessThan(Deadline, "{0} by now", what);
            Clock.Advance(longestBackOff);
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Sends 30 requests (<see cref="SendRequestsAsync"/>), then checks what the tracker made of their 20 failures:
    /// each stored once and counted exactly, in its two groups, and nothing dropped or lost.
    /// </summary>
    public async Task SendRequestsAndCheckEveryFailureStoredAsync()
    {
        var slowest = await SendRequestsAsync(30);
        await TestContext.Out.WriteLineAsync($"slowest request: {slowest.TotalMilliseconds:N0} ms");

        await Eventually(() => Tracker.Statistics.Stored >= 20, "20 occurrences stored");
        var groups = (await Store.ListAsync(new ErrorQuery { PageSize = 100 }, CancellationToken.None)).Items;
        groups.Select(g => (g.ExceptionName, g.Count)).Should().BeEquivalentTo(
            [("System.InvalidOperationException", 10L), ("System.TimeoutException", 10L)], "every failure is stored once, counted exactly");
        var statistics = Tracker.Statistics;
        (statistics.Recorded, statistics.Stored, statistics.Dropped, statistics.Lost).Should().Be((20L, 20L, 0L, 0L), "nothing recorded is dropped or lost");
    }

    /// <summary>The warnings the tracker wrote when it gave up a delivery.</summary>
    public IReadOnlyList<CapturedLog> GivenUp() =>
        [.. Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("gave up delivering", StringComparison.Ordinal))];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
