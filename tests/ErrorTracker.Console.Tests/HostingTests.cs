using System.Diagnostics;
using System.Text.Json;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Testing.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Hosting.Tests;

public sealed class HostingTests
{
    // Made at run time: a literal would be in this file's source, which the source context shows as it is.
    private static readonly string Secret = "S3cr3t-" + Guid.NewGuid().ToString("N");

    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "errortracker-hosting", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string Database => $"Data Source={Path.Combine(_folder, "errors.db")}";

    private HostApplicationBuilder Builder()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddErrorTracker(builder.Configuration.GetSection("ErrorTracker")).UseSqlite(Database);
        return builder;
    }

    [Test]
    public async Task In_a_host_the_facade_and_the_injected_tracker_are_one_instance()
    {
        using var host = Builder().Build();
        await host.StartAsync();

        ErrorTracker.Current.Should().BeSameAs(host.Services.GetRequiredService<IErrorTracker>());

        await host.StopAsync();
    }

    [Test]
    public async Task A_host_stopped_right_after_ten_thousand_records_from_eight_threads_has_stored_them_all()
    {
        using (var host = Builder().Build())
        {
            await host.StartAsync();
            var tracker = host.Services.GetRequiredService<IErrorTracker>();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
            {
                for (var i = 0; i < 1_250; i++)
                {
                    tracker.CaptureMessage(thread % 2 == 0 ? "even thread" : "odd thread");
                }
            })));

            await host.StopAsync();
        }

        var page = await SqlErrorStore.ForSqlite(Database).ListAsync(new ErrorQuery(), CancellationToken.None);
        page.Items.Sum(r => r.Count).Should().Be(10_000);
        page.Items.Should().HaveCount(2);
    }

    [Test]
    public async Task A_faulted_background_service_is_recorded_with_its_type()
    {
        var builder = Builder();
        builder.Services.AddHostedService<FailingWorker>();
        using (var host = builder.Build())
        {
            await host.StartAsync();
            await host.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        var store = SqlErrorStore.ForSqlite(Database);
        var record = (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).Items.Should().ContainSingle().Subject;
        record.Message.Should().Be("The worker lost its queue.");
        var context = (await store.GetAsync(record.Hash, CancellationToken.None))!.FirstOccurrence.Context;
        context.Should().ContainSingle(c => c.Name == "background_service").Which.Value.Text.Should().Be(typeof(FailingWorker).FullName);
    }

    [Test]
    public async Task A_background_service_that_throws_once_is_one_occurrence()
    {
        // The hosted service sees the fault when the task faults and again when the host stops, often at the same
        // moment: the second record used to start before the first one's capture had finished, when the tracker did
        // not know the throw yet, so it was counted twice (issue 16, point 8).
        var builder = Builder();
        builder.Services.AddHostedService<FailingWorker>();
        using (var host = builder.Build())
        {
            await host.StartAsync();
            await host.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        var record = (await SqlErrorStore.ForSqlite(Database).ListAsync(new ErrorQuery(), CancellationToken.None)).Items.Should().ContainSingle().Subject;
        record.Count.Should().Be(1);
    }

    [Test]
    public async Task Log_error_with_an_exception_is_recorded_once_and_masked()
    {
        var builder = Builder();
        builder.Services.AddErrorTracker().AddLogging();
        using (var host = builder.Build())
        {
            await host.StartAsync();
            var logger = host.Services.GetRequiredService<ILogger<HostingTests>>();
            var failure = new InvalidOperationException("Payment failed");
            logger.LogError(failure, "Payment failed for order {OrderId} with password {Password}", 42, Secret);
            logger.LogWarning(new InvalidOperationException("below the threshold"), "only a warning");
            ErrorTracker.RecordException(failure);
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(ErrorTracking.Diagnostics.ErrorTrackerDiagnostics.LogCategory)
                .LogError(new InvalidOperationException("the tracker's own"), "never recorded");
            await host.StopAsync();
        }

        var store = SqlErrorStore.ForSqlite(Database);
        var record = (await store.ListAsync(new ErrorQuery(), CancellationToken.None)).Items.Should().ContainSingle().Subject;
        record.Count.Should().Be(1);
        var occurrence = (await store.GetAsync(record.Hash, CancellationToken.None))!.FirstOccurrence;
        var context = occurrence.Context.ToDictionary(c => c.Name, c => c.Value);
        context["log.template"].Text.Should().Be("Payment failed for order {OrderId} with password {Password}");
        context["log.OrderId"].Text.Should().Be("42");
        context["log.Password"].Kind.Should().Be(RecordedValueKind.Masked);
        context["log.category"].Text.Should().Be(typeof(HostingTests).FullName);
        JsonSerializer.Serialize(occurrence).Should().NotContain(Secret);
    }

    [Test]
    public async Task The_console_sample_crashing_with_an_unhandled_exception_leaves_the_crash_in_its_database()
    {
        var database = Path.Combine(_folder, "crash.db");

        var (exitCode, output) = await RunSampleAsync("--db", database, "--crash");

        exitCode.Should().NotBe(0, output);
        output.Should().Contain("The nightly import crashed.");
        var store = SqlErrorStore.ForSqlite($"Data Source={database}");
        var crash = (await store.ListAsync(new ErrorQuery { Search = "nightly import crashed" }, CancellationToken.None)).Items.Should().ContainSingle().Subject;
        var occurrence = (await store.GetAsync(crash.Hash, CancellationToken.None))!.FirstOccurrence;
        occurrence.Level.Should().Be(ErrorLevel.Fatal);
        occurrence.Context.Should().Contain(c => c.Name == "unhandled");
    }

    [Test]
    public async Task The_console_sample_stores_its_failures_masked()
    {
        var database = Path.Combine(_folder, "sample.db");

        var (exitCode, output) = await RunSampleAsync("--db", database);

        exitCode.Should().Be(0, output);
        var store = SqlErrorStore.ForSqlite($"Data Source={database}");
        var page = await store.ListAsync(new ErrorQuery(), CancellationToken.None);
        page.Items.Select(r => r.ExceptionName).Should().Contain(["System.ArgumentOutOfRangeException", "System.AggregateException"]);
        page.Items.Single(r => r.ExceptionName == "System.ArgumentOutOfRangeException").Count.Should().Be(2);
        output.Should().Contain("password (variable) = **************").And.NotContain("hunter2").And.NotContain("s3cret");
    }

    [Test]
    public async Task A_store_that_hangs_does_not_make_host_shutdown_throw()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.Services.AddErrorTracker(o =>
        {
            o.Store = new HangingStore();
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
        }).AddHostLifetime();
        using var host = builder.Build();
        await host.StartAsync();
        host.Services.GetRequiredService<IErrorTracker>().RecordException(new InvalidOperationException("while the store hangs"));

        await FluentActions.Awaiting(() => host.StopAsync()).Should().NotThrowAsync();
    }

    [Test]
    public async Task What_the_tracker_logs_or_its_store_logs_is_never_recorded()
    {
        var builder = Builder();
        builder.Services.AddErrorTracker().UseStore<LoggingStore>().AddLogging();
        using (var host = builder.Build())
        {
            await host.StartAsync();
            var tracker = host.Services.GetRequiredService<IErrorTracker>();
            tracker.CaptureMessage("the only occurrence");
            (await tracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
            (await tracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
            await host.StopAsync();
            host.Services.GetRequiredService<LoggingStore>().Saved.Should().Be(1, "the store's own error log on the writer's flow was not recorded");
        }
    }

    [Test]
    public async Task A_tracker_that_cannot_be_built_never_fails_the_applications_logging()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddErrorTracker(o => o.QueueCapacity = -1).AddLogging();
        await using var provider = services.BuildServiceProvider();
        var logger = provider.GetRequiredService<ILogger<HostingTests>>();

        FluentActions.Invoking(() => logger.LogError(new InvalidOperationException("boom"), "first")).Should().NotThrow();
        FluentActions.Invoking(() => logger.LogError(new InvalidOperationException("boom"), "again")).Should().NotThrow();
    }

    private static async Task<(int ExitCode, string Output)> RunSampleAsync(params string[] arguments)
    {
        // The sample is built beside this test project: tests/<project>/bin/<configuration>/<framework>/.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var sample = Path.Combine(root, "samples", "ErrorTracker.Samples.Console", "bin", here.Parent!.Name, here.Name, "ErrorTracker.Samples.Console.dll");
        File.Exists(sample).Should().BeTrue($"the sample is built with the tests ({sample})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(sample);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>A store whose driver logs an error with an exception on every write, as a database client may.</summary>
    private sealed class LoggingStore(ILogger<LoggingStore> logger) : DelegatingErrorStore
    {
        private int _saved;

        public int Saved => Volatile.Read(ref _saved);

        public override Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _saved, occurrences.Count);
            logger.LogError(new TimeoutException("driver noise"), "The driver retried a command");
            return base.SaveAsync(occurrences, cancellationToken);
        }
    }

    private sealed class HangingStore : DelegatingErrorStore
    {
        public override async Task<IReadOnlyList<ErrorRecord>> SaveAsync(IReadOnlyList<ErrorEvent> occurrences, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return [];
        }
    }

    private sealed class FailingWorker : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(50, stoppingToken);
            throw new InvalidOperationException("The worker lost its queue.");
        }
    }
}
