using System.Diagnostics;
using System.Net;
using ErrorTracking.AspNetCore.Tests.Support;
using ErrorTracking.Notification;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Testing.Web;
using ErrorTracking.Testing.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.AspNetCore.Tests;

/// <summary>
/// A real Kestrel application with <c>UseErrorTracker</c> whose SQLite store fails every third write and whose
/// notifiers throw or hang: every request of the application gets the answer it would get without the tracker, and
/// every failure is stored, counted exactly, once the faults have been retried.
/// </summary>
public sealed class WebFaultTests
{
    private TestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase() => _database = new TestDatabase();

    [TearDown]
    public void RemoveDatabase() => _database.Dispose();

    [Test]
    public async Task A_flaky_store_and_broken_notifiers_never_fail_the_applications_requests()
    {
        var store = new EveryThirdWriteFails(SqlErrorStore.ForSqlite($"Data Source={_database.File}"));
        var hanging = new HangingNotifier();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddErrorTracker(o =>
        {
            o.SendNotification = true;
            o.NotificationPolicy = DeliveryPolicy.EveryOccurrence;
            o.MaxNotificationsPerMinute = 0;
            o.DeliveryAttempts = 2;
            o.DeliveryRetryDelay = TimeSpan.Zero;
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
            o.BatchSize = 5;
            o.Notifiers.Add(new ThrowingNotifier());
            o.Notifiers.Add(hanging);
        }).UseStore(store);
        await using var app = builder.Build();
        FailingShop.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };

        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 60; i++)
        {
            var watch = Stopwatch.StartNew();
            var (url, status, body) = (i % 3) switch
            {
                0 => ("/ok", HttpStatusCode.OK, "fine"),
                1 => ($"/fails/{(i % 2 == 0 ? "card" : "stock")}", HttpStatusCode.InternalServerError, FailingShop.Handled),
                _ => ("/records/visa", HttpStatusCode.OK, "\"recorded and carried on\""),
            };
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            response.StatusCode.Should().Be(status, $"request {i} to {url} is answered as the application answers it");
            (await response.Content.ReadAsStringAsync()).Should().Be(body, $"request {i} to {url}");
        }

        TestContext.Out.WriteLine($"slowest request: {slowest.TotalMilliseconds:N0} ms");
        var tracker = app.Services.GetRequiredService<IErrorTracker>();
        var deadline = Stopwatch.StartNew();
        while (tracker.Statistics.Stored < 40)
        {
            deadline.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the failed writes are retried until stored: {0}", tracker.Statistics);
            await Task.Delay(20);
        }

        var groups = (await store.ListAsync(new ErrorQuery { PageSize = 100 }, CancellationToken.None)).Items;
        groups.Select(g => (g.ExceptionName, g.Count)).Should().BeEquivalentTo(
            [("System.InvalidOperationException", 20L), ("System.TimeoutException", 20L)], "each failure is stored once, counted exactly");
        store.Failures.Should().BeGreaterThan(0, "the fault fired");
        var statistics = tracker.Statistics;
        (statistics.Recorded, statistics.Stored, statistics.Dropped, statistics.StoreFailures).Should().Be((40L, 40L, 0L, (long)store.Failures));
        hanging.Started.Should().BeGreaterThan(0, "the hanging notifier was called and holds up only itself");

        var stopping = Stopwatch.StartNew();
        await app.DisposeAsync();
        stopping.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a hanging notifier does not hold the host's shutdown");
    }

    /// <summary>The real SQLite store, failing every third write as a flaky connection would.</summary>
    private sealed class EveryThirdWriteFails(IErrorStore inner) : DelegatingErrorStore(inner)
    {
        private int _calls;
        private int _failures;

        public int Failures => Volatile.Read(ref _failures);

        public override Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) % 3 == 0)
            {
                Interlocked.Increment(ref _failures);
                throw new IOException("database is locked");
            }

            return base.SaveAsync(occurrences, cancellationToken);
        }
    }

    private sealed class ThrowingNotifier : INotifier
    {
        public Task NotifyAsync(ErrorNotification notification, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("mail relay rejected the message");
    }

    private sealed class HangingNotifier : INotifier
    {
        private int _started;

        public int Started => Volatile.Read(ref _started);

        public async Task NotifyAsync(ErrorNotification notification, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
        }
    }
}
