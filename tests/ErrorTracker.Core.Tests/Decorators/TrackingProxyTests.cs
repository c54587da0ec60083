using System.Runtime.CompilerServices;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.Tests.Decorators;

[NonParallelizable]
public sealed class TrackingProxyTests
{
    [Test]
    public async Task A_failing_call_through_the_proxy_is_recorded_with_its_arguments_and_the_implementations_fields()
    {
        await using var app = Build(ServiceLifetime.Scoped);
        var orders = app.Services.CreateScope().ServiceProvider.GetRequiredService<IOrderService>();

        FluentActions.Invoking(() => orders.Place("book", 3, "hunter2")).Should().Throw<InvalidOperationException>().WithMessage("out of stock: book");

        var frame = await FrameAsync(app, nameof(OrderService.Place));
        frame.DeclaringType.Should().EndWith(nameof(OrderService));
        var variables = frame.Variables.ToDictionary(v => v.Name);
        variables["sku"].Should().Match<CapturedVariable>(v => v.Origin == VariableOrigin.Argument && v.Value.Text == "book");
        variables["quantity"].Value.Text.Should().Be("3");
        variables["password"].Value.Kind.Should().Be(RecordedValueKind.Masked);
        variables["_warehouse"].Should().Match<CapturedVariable>(v => v.Origin == VariableOrigin.Instance && v.Value.Text == "north");
        variables["_connectionSecret"].Value.Kind.Should().Be(RecordedValueKind.Masked);
    }

    [Test]
    public async Task Async_failures_are_recorded_once_with_the_arguments_and_the_result_type_is_kept()
    {
        await using var app = Build(ServiceLifetime.Singleton);
        var orders = app.Services.GetRequiredService<IOrderService>();

        (await orders.CountAsync("pen", fail: false)).Should().Be(3);
        await FluentActions.Awaiting(() => orders.CountAsync("pen", fail: true)).Should().ThrowAsync<TimeoutException>();
        await FluentActions.Awaiting(async () => await orders.CheckAsync(-1)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => orders.ShipAsync(99)).Should().ThrowAsync<InvalidOperationException>();

        var records = await AllAsync(app);
        records.Should().HaveCount(3);
        (await FrameAsync(app, nameof(OrderService.CountAsync))).Variables.Should().Contain(v => v.Name == "sku" && v.Value.Text == "pen");
        (await FrameAsync(app, nameof(OrderService.CheckAsync))).Variables.Should().Contain(v => v.Name == "id" && v.Value.Text == "-1");
        (await FrameAsync(app, nameof(OrderService.ShipAsync))).Variables.Should().Contain(v => v.Name == "id" && v.Value.Text == "99");
    }

    [Test]
    public async Task Calls_through_reflection_are_covered_and_successful_calls_record_nothing()
    {
        await using var app = Build(ServiceLifetime.Transient);
        var orders = app.Services.GetRequiredService<IOrderService>();

        orders.Place("book", 0, "pw").Should().Be(0);
        (await AllAsync(app)).Should().BeEmpty();
        var invoke = () => typeof(IOrderService).GetMethod(nameof(IOrderService.Place))!.Invoke(orders, ["lamp", 1, "pw"]);
        invoke.Should().Throw<System.Reflection.TargetInvocationException>().WithInnerException<InvalidOperationException>();

        (await FrameAsync(app, nameof(OrderService.Place))).Variables.Should().Contain(v => v.Name == "sku" && v.Value.Text == "lamp");
    }

    [Test]
    public async Task The_proxy_disposes_what_the_container_built_for_it_and_wrapping_twice_wraps_once()
    {
        var services = new ServiceCollection();
        services.AddErrorTracker(o => o.Store = new InMemoryErrorStore());
        services.AddScoped<IOrderService, OrderService>();
        services.AddErrorTracking<IOrderService>().AddErrorTracking<IOrderService>();
        OrderService inner;
        await using (var provider = services.BuildServiceProvider())
        {
            using (var scope = provider.CreateScope())
            {
                var orders = scope.ServiceProvider.GetRequiredService<IOrderService>();
                FluentActions.Invoking(() => orders.Place("x", 1, "pw")).Should().Throw<InvalidOperationException>();
                inner = OrderService.Last!;
                inner.Disposed.Should().BeFalse();
            }

            inner.Disposed.Should().BeTrue();
            await provider.GetRequiredService<IErrorTracker>().FlushAsync(TimeSpan.FromSeconds(10));
            var list = await provider.GetRequiredService<IErrorStore>().ListAsync(new ErrorQuery(), CancellationToken.None);
            list.Items.Should().ContainSingle().Which.Count.Should().Be(1, "one proxy, so one record");
        }

        services.Count(d => d.ServiceType == typeof(IOrderService)).Should().Be(1);
    }

    [Test]
    public void Registering_a_proxy_for_a_class_or_an_unregistered_interface_fails_clearly()
    {
        var services = new ServiceCollection();

        FluentActions.Invoking(() => services.AddErrorTracking<OrderService>())
            .Should().Throw<ArgumentException>().WithMessage("*not an interface*[TrackExceptions]*");
        FluentActions.Invoking(() => services.AddErrorTracking<IOrderService>())
            .Should().Throw<InvalidOperationException>().WithMessage("No IOrderService is registered*");
    }

    private static TestApp Build(ServiceLifetime lifetime)
    {
        IServiceCollection services = new ServiceCollection();
        services.AddErrorTracker(o => o.Store = new InMemoryErrorStore());
        services.Add(ServiceDescriptor.Describe(typeof(IOrderService), typeof(OrderService), lifetime));
        services.AddErrorTracking<IOrderService>();
        return new TestApp(services.BuildServiceProvider());
    }

    private static async Task<IReadOnlyList<ErrorRecord>> AllAsync(TestApp app)
    {
        (await app.Services.GetRequiredService<IErrorTracker>().FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        return (await app.Services.GetRequiredService<IErrorStore>().ListAsync(new ErrorQuery { PageSize = 100 }, CancellationToken.None)).Items;
    }

    private static async Task<FrameDetail> FrameAsync(TestApp app, string method)
    {
        foreach (var record in await AllAsync(app))
        {
            var detail = await app.Services.GetRequiredService<IErrorStore>().GetAsync(record.Hash, CancellationToken.None);
            if (detail!.FirstOccurrence.Exception.Frames.FirstOrDefault(f => f.Method == method) is { } frame)
            {
                return frame;
            }
        }

        throw new AssertionException($"No record has a frame of {method}.");
    }

    private sealed class TestApp(ServiceProvider services) : IAsyncDisposable
    {
        public ServiceProvider Services { get; } = services;

        public ValueTask DisposeAsync() => Services.DisposeAsync();
    }

    public interface IOrderService
    {
        int Place(string sku, int quantity, string password);

        Task<int> CountAsync(string sku, bool fail);

        ValueTask<bool> CheckAsync(int id);

        Task ShipAsync(int id);
    }

    internal sealed class OrderService : IOrderService, IDisposable
    {
        private readonly string _warehouse = "north";
        private readonly string _connectionSecret = "Password=abc";

        public OrderService() => Last = this;

        public static OrderService? Last { get; private set; }

        public bool Disposed { get; private set; }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public int Place(string sku, int quantity, string password) =>
            quantity == 0 ? 0 : throw new InvalidOperationException($"out of stock: {sku}{(_warehouse + _connectionSecret + password).Length switch { < 0 => "!", _ => "" }}");

        public async Task<int> CountAsync(string sku, bool fail)
        {
            await Task.Yield();
            return fail ? throw new TimeoutException(sku) : 3;
        }

        public async ValueTask<bool> CheckAsync(int id)
        {
            await Task.Yield();
            return id >= 0 ? true : throw new ArgumentOutOfRangeException(nameof(id));
        }

        public async Task ShipAsync(int id)
        {
            await Task.Delay(1);
            throw new InvalidOperationException($"cannot ship {id}");
        }

        public void Dispose() => Disposed = true;
    }
}
