using ErrorTracking.Storage.Tests.Support;
using ErrorTracking.Testing.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static ErrorTracking.Testing.TestEvents;

namespace ErrorTracking.Storage.Tests;

public sealed class PostgresErrorStoreTests : SqlErrorStoreContract
{
    private readonly List<NpgsqlDataSource> _sources = [];

    [TearDown]
    public async Task DisposeSources()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }

        _sources.Clear();
    }

    protected override async Task<SqlTestDatabase> CreateDatabaseAsync() => new PostgresDatabase(await NewDatabaseAsync());

    // PostgreSQL text cannot hold NUL; the dialect stores U+2400 instead, as documented.
    protected override string Stored(string text) => text.Replace('\0', '\u2400').Replace('\ud800', '\uFFFD');

    [Test]
    public async Task Two_instances_on_one_database_lose_no_count_and_see_each_others_groups()
    {
        var server = await PostgresServer.RequireAsync();
        var connectionString = await server.CreateDatabaseAsync();
        var first = SqlErrorStore.ForPostgres(Track(NpgsqlDataSource.Create(connectionString)));
        var second = SqlErrorStore.ForPostgres(Track(NpgsqlDataSource.Create(connectionString)));
        var hash = HashOf("shared");

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 500; i++) await first.SaveAsync([Occurrence(hash)], CancellationToken.None); }),
            Task.Run(async () => { for (var i = 0; i < 500; i++) await second.SaveAsync([Occurrence(hash)], CancellationToken.None); }),
            second.SaveAsync([Occurrence(HashOf("only second"))], CancellationToken.None));

        (await first.GetAsync(hash, CancellationToken.None))!.Record.Count.Should().Be(1_000);
        (await first.ListAsync(new ErrorQuery(), CancellationToken.None)).TotalCount.Should().Be(2);
    }

    [Test]
    public async Task Two_app_instances_failing_the_same_way_at_the_same_moment_send_one_notification()
    {
        var server = await PostgresServer.RequireAsync();
        var connectionString = await server.CreateDatabaseAsync();
        var sent = new SentNotifications();
        ServiceProvider Instance()
        {
            var services = new ServiceCollection();
            services.AddErrorTracker(o =>
            {
                o.Store = SqlErrorStore.ForPostgres(Track(NpgsqlDataSource.Create(connectionString)));
                o.SendNotification = true;
                o.Notifiers.Add(sent);
                // Each round is its own failure.
                o.Fingerprint = e => e.Message;
            });
            return services.BuildServiceProvider();
        }

        await using var first = Instance();
        await using var second = Instance();
        var trackers = new[] { first.GetRequiredService<IErrorTracker>(), second.GetRequiredService<IErrorTracker>() };
        const int Rounds = 10;
        for (var round = 0; round < Rounds; round++)
        {
            using var start = new Barrier(2);
            var message = $"Payment gateway unreachable, round {round}";
            await Task.WhenAll(trackers.Select(tracker => Task.Run(() =>
            {
                start.SignalAndWait();
                tracker.RecordException(new TimeoutException(message));
            })));
            foreach (var tracker in trackers)
            {
                (await tracker.FlushAsync(TimeSpan.FromSeconds(20))).Should().BeTrue();
            }
        }

        sent.Subjects.Should().HaveCount(Rounds, "each failure is notified once between the two instances, not once by each");
        sent.Subjects.Should().OnlyHaveUniqueItems();
        var store = SqlErrorStore.ForPostgres(Track(NpgsqlDataSource.Create(connectionString)));
        (await store.ListAsync(new ErrorQuery { PageSize = 50 }, CancellationToken.None)).Items.Should().HaveCount(Rounds)
            .And.OnlyContain(r => r.Count == 2 && r.NotificationSent);
    }

    private sealed class SentNotifications : ErrorTracking.Notification.INotifier
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _subjects = new();

        public IReadOnlyList<string> Subjects => [.. _subjects];

        public Task NotifyAsync(ErrorTracking.Notification.ErrorNotification notification, CancellationToken cancellationToken)
        {
            _subjects.Enqueue(notification.Subject);
            return Task.CompletedTask;
        }
    }

    [Test]
    public async Task Two_processes_on_one_database_lose_no_count()
    {
        var server = await PostgresServer.RequireAsync();
        var connectionString = await server.CreateDatabaseAsync();
        var store = SqlErrorStore.ForPostgres(Track(NpgsqlDataSource.Create(connectionString)));
        await store.MigrateAsync(CancellationToken.None);

        await Task.WhenAll(
            WriterProcess.RunAsync("postgres", connectionString, "across processes", 300),
            WriterProcess.RunAsync("postgres", connectionString, "across processes", 300),
            Task.Run(async () => { for (var i = 0; i < 300; i++) await store.SaveAsync([Occurrence(HashOf("across processes"))], CancellationToken.None); }));

        (await store.GetAsync(HashOf("across processes"), CancellationToken.None))!.Record.Count.Should().Be(900);
    }

    [Test]
    public async Task Migrating_concurrently_from_two_instances_is_safe_and_idempotent()
    {
        var dataSource = await NewDatabaseAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => SqlErrorStore.ForPostgres(dataSource)).ToList();

        await Task.WhenAll(stores.Select(s => s.MigrateAsync(CancellationToken.None)));
        await stores[0].MigrateAsync(CancellationToken.None);

        (await stores[0].GetSchemaVersionAsync(CancellationToken.None)).Should().Be(3);
    }

    [Test]
    [NonParallelizable]
    public async Task A_server_stopped_mid_run_loses_nothing()
    {
        var server = await PostgresServer.RequireAsync();
        var store = SqlErrorStore.ForPostgres(await NewDatabaseAsync());
        await store.MigrateAsync(CancellationToken.None);

        await server.StopServerAsync();
        var running = false;
        try
        {
            await store.Invoking(s => s.SaveAsync([Occurrence(HashOf("down"))], CancellationToken.None))
                .Should().ThrowAsync<NpgsqlException>();
            using (ErrorTracker.Init(o => o.Store = store))
            {
                for (var i = 0; i < 50; i++)
                {
                    FluentActions.Invoking(() => ErrorTracker.RecordException(new InvalidOperationException("while the database is down")))
                        .Should().NotThrow();
                }

                (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(1))).Should().BeFalse("the database is down");
                await server.StartServerAsync();
                running = true;
                (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("everything waiting is written when the database is back");
                ErrorTracker.Statistics!.StoreFailures.Should().BeGreaterThan(0);
            }

            var page = await store.ListAsync(new ErrorQuery(), CancellationToken.None);
            page.Items.Should().ContainSingle().Which.Count.Should().Be(50);
        }
        finally
        {
            if (!running)
            {
                await server.StartServerAsync();
            }
        }
    }

    private sealed class PostgresDatabase(NpgsqlDataSource dataSource) : SqlTestDatabase
    {
        public override SqlErrorStore Store(SqlStoreOptions? options = null, TimeProvider? time = null) =>
            new(new PostgresDialect(), dataSource.CreateConnection, options, ClockOr(time));

        public override System.Data.Common.DbConnection Connect() => dataSource.CreateConnection();
    }

    private async Task<NpgsqlDataSource> NewDatabaseAsync()
    {
        var server = await PostgresServer.RequireAsync();
        return Track(NpgsqlDataSource.Create(await server.CreateDatabaseAsync()));
    }

    private NpgsqlDataSource Track(NpgsqlDataSource source)
    {
        _sources.Add(source);
        return source;
    }
}
