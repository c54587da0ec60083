using System.Diagnostics;
using System.Runtime.CompilerServices;
using ErrorTracking.Configuration;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ErrorTracking.Testing;

namespace ErrorTracking.Http.Tests.Support;

/// <summary>
/// An application with the tracker registered as applications do it (a service collection, logging at Trace into
/// <see cref="Logs"/>, <c>AddErrorTracker</c> and the integrations on its builder), an in-memory store and a fake
/// clock, so that tests drive the whole pipeline, delivery included, against real servers on loopback.
/// </summary>
public sealed class TrackedApplication : IAsyncDisposable
{
    /// <summary>
    /// How long a flush, or any wait of these tests, may take at most. Every server is on loopback and retries wait
    /// no time unless a test says so, so a flush takes milliseconds; the margin is for the first test of a run on a
    /// loaded machine, which compiles the whole HTTP stack (seen at 5 s with three runs at once on two cores).
    /// </summary>
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider _services;

    private TrackedApplication(ServiceProvider services, CapturedLogs logs, InMemoryErrorStore store, FakeTimeProvider clock)
    {
        _services = services;
        Logs = logs;
        Store = store;
        Clock = clock;
        Tracker = services.GetRequiredService<IErrorTracker>();
    }

    /// <summary>Every log entry at every level, the HTTP clients' included.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>The tracker's store.</summary>
    public InMemoryErrorStore Store { get; }

    /// <summary>The tracker's clock; it moves only when a test advances it.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The tracker, as the application resolves it.</summary>
    public IErrorTracker Tracker { get; }

    /// <summary>
    /// Builds the application. Retries wait no time (a test that wants the back-off sets
    /// <see cref="ErrorTrackerOptions.DeliveryRetryDelay"/> back and advances <see cref="Clock"/>).
    /// </summary>
    /// <param name="configure">Sets the tracker's options after the defaults of these tests.</param>
    /// <param name="integrations">Adds the integrations on the builder.</param>
    public static TrackedApplication Start(Action<ErrorTrackerOptions> configure, Action<IErrorTrackerBuilder> integrations)
    {
        var logs = new CapturedLogs();
        var store = new InMemoryErrorStore();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var builder = services.AddErrorTracker(options =>
        {
            options.Store = store;
            options.TimeProvider = clock;
            options.DashboardUrl = Samples.Dashboard;
            options.CaptureUnhandledExceptions = false;
            options.DeliveryRetryDelay = TimeSpan.Zero;
            options.ShutdownTimeout = TimeSpan.FromSeconds(2);
            configure(options);
        });
        integrations(builder);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new TrackedApplication(provider, logs, store, clock);
    }

    /// <summary>
    /// Fails in <see cref="Checkout.PlaceOrder"/> and records the exception: every call makes an occurrence of the
    /// same group, whatever the message says.
    /// </summary>
    /// <param name="message">The exception's message.</param>
    /// <param name="variables">Variables recorded with it.</param>
    /// <returns>The group's hash.</returns>
    public string Fail(string message = "Order 42 could not be placed", object? variables = null)
    {
        try
        {
            Checkout.PlaceOrder(message);
            throw new AssertionException("PlaceOrder did not fail.");
        }
        catch (InvalidOperationException exception)
        {
            return Tracker.RecordException(exception, variables) ?? throw new AssertionException("The exception was not recorded.");
        }
    }

    /// <summary>Waits until what was recorded is stored and delivered, or given up, and fails the test past <see cref="FlushTimeout"/>.</summary>
    public async Task FlushAsync() =>
        (await Tracker.FlushAsync(FlushTimeout)).Should().BeTrue("everything recorded is stored and delivered (or given up) within {0}", FlushTimeout);

    /// <summary>The group as the store holds it now.</summary>
    public async Task<ErrorRecord> GroupAsync(string hash) =>
        (await Store.GetAsync(hash, CancellationToken.None))?.Record ?? throw new AssertionException($"No group {hash} in the store.");

    /// <summary>Resolves the group, as the dashboard's Resolve button does.</summary>
    public async Task ResolveAsync(string hash) =>
        (await Store.UpdateAsync(hash, new ErrorRecordUpdate { Status = ErrorStatus.Resolved }, CancellationToken.None)).Should().BeTrue();

    /// <summary>The warnings the tracker wrote when it gave up a delivery.</summary>
    public IReadOnlyList<CapturedLog> GivenUp() =>
        [.. Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("gave up delivering", StringComparison.Ordinal))];

    /// <summary>Waits, in real time and no longer than <see cref="FlushTimeout"/>, until <paramref name="condition"/> holds.</summary>
    public static async Task Eventually(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            waited.Elapsed.Should().BeLessThan(FlushTimeout, "the condition should hold by now");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Moves <see cref="Clock"/> by <paramref name="step"/> (a quarter of a second by default) at a time until
    /// <paramref name="condition"/> holds, for what waits on the tracker's clock, no longer than
    /// <see cref="FlushTimeout"/> in real time. Steps, not one jump: a timer the tracker starts just after a jump
    /// counts from the new time and needs the clock to move again.
    /// </summary>
    public async Task AdvanceClockUntil(Func<bool> condition, TimeSpan? step = null)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            waited.Elapsed.Should().BeLessThan(FlushTimeout, "the condition should hold by now");
            Clock.Advance(step ?? TimeSpan.FromMilliseconds(250));
            await Task.Delay(10);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>The application code that fails.</summary>
public static class Checkout
{
    /// <summary>Throws; not inlined, so that every failure has the same frames and the same group.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void PlaceOrder(string message) => throw new InvalidOperationException(message);
}
