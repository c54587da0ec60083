using System.Runtime.CompilerServices;
using ErrorTracking.Records;
using ErrorTracking.Tests.Support;

namespace ErrorTracking.Tests.Decorators;

public sealed class ClosureCaptureTests
{
    [Test]
    public async Task Track_records_the_variables_the_lambda_closed_over_under_the_lambdas_frame()
    {
        await using var harness = new TrackerHarness();
        var service = new OrderDesk("eu-west", "sk_live_123");
        var order = new Order("book", 3);
        var quantity = 4;
        var password = "hunter2";

        FluentActions.Invoking(() => ErrorTracker.Track(() => service.Place(order, quantity, password)))
            .Should().Throw<InvalidOperationException>();

        var frame = await LambdaFrameAsync(harness);
        frame.Method.Should().EndWith(".lambda");
        var variables = frame.Variables.ToDictionary(v => v.Name);
        variables["quantity"].Value.Text.Should().Be("4");
        variables["quantity"].Origin.Should().Be(VariableOrigin.Closure);
        variables["order"].Value.Children.Select(c => c.Name).Should().Contain(["Sku", "Quantity"]);
        variables["password"].Value.Kind.Should().Be(RecordedValueKind.Masked);
        variables["service"].Origin.Should().Be(VariableOrigin.Closure);
    }

    [Test]
    public async Task Nested_scopes_and_a_captured_this_are_read_with_their_origins()
    {
        await using var harness = new TrackerHarness();

        FluentActions.Invoking(() => new OrderDesk("eu-west", "sk_live_123").PlaceAll(["pen", "ink"]))
            .Should().Throw<InvalidOperationException>();

        var variables = (await LambdaFrameAsync(harness)).Variables.ToDictionary(v => v.Name);
        variables["sku"].Origin.Should().Be(VariableOrigin.Closure, "the innermost scope's variable");
        variables["sku"].Value.Text.Should().Be("ink");
        variables["batch"].Origin.Should().Be(VariableOrigin.Closure, "the enclosing scope's variable, through the nested closure");
        variables["batch"].Value.Text.Should().Be("7");
        variables["_region"].Origin.Should().Be(VariableOrigin.Instance);
        variables["_region"].Value.Text.Should().Be("eu-west");
        variables["_apiKey"].Value.Kind.Should().Be(RecordedValueKind.Masked);
        variables["Placed"].Origin.Should().Be(VariableOrigin.Instance, "an auto-property's backing field is shown under the property's name");
        variables.Should().NotContainKey("Changed", "event handlers are delegates, not state");
    }

    [Test]
    public async Task A_lambda_capturing_only_this_shows_the_instance_fields()
    {
        await using var harness = new TrackerHarness();

        FluentActions.Invoking(() => new OrderDesk("ap-south", "key").PlaceNothing()).Should().Throw<InvalidOperationException>();

        var variables = (await LambdaFrameAsync(harness)).Variables;
        variables.Should().Contain(v => v.Name == "_region" && v.Origin == VariableOrigin.Instance && v.Value.Text == "ap-south");
    }

    [Test]
    public async Task The_async_forms_capture_the_closure_too()
    {
        await using var harness = new TrackerHarness();
        var orderId = 1234;
        var token = "secret-token-value";

        await FluentActions.Awaiting(() => ErrorTracker.TrackAsync(async () =>
            {
                await Task.Yield();
                throw new InvalidOperationException($"order {orderId} failed with {token.Length}");
            }))
            .Should().ThrowAsync<InvalidOperationException>();
        var result = await ErrorTracker.TrackAsync<int>(async () =>
        {
            await Task.Yield();
            throw new TimeoutException($"order {orderId + 1}");
        }, silent: true);

        result.Should().Be(0);
        var records = await harness.AllAsync();
        records.Should().HaveCount(2);
        foreach (var record in records)
        {
            var variables = (await harness.DetailAsync(record.Hash)).FirstOccurrence.Exception.Frames.SelectMany(f => f.Variables).ToList();
            variables.Should().Contain(v => v.Name == "orderId" && v.Origin == VariableOrigin.Closure && v.Value.Text == "1234");
        }
    }

    [Test]
    public async Task Cycles_and_deep_graphs_in_captured_values_stay_bounded()
    {
        await using var harness = new TrackerHarness(o => o.MaxDepth = 4);
        var node = new Node("root");
        node.Next = node;
        var chain = Enumerable.Range(0, 100).Aggregate(new Node("leaf"), (next, i) => new Node($"n{i}") { Next = next });

        FluentActions.Invoking(() => ErrorTracker.Track(() => Fail(node, chain))).Should().Throw<InvalidOperationException>();

        var variables = (await LambdaFrameAsync(harness)).Variables.ToDictionary(v => v.Name);
        Depth(variables["node"].Value).Should().BeLessThanOrEqualTo(6);
        Depth(variables["chain"].Value).Should().BeLessThanOrEqualTo(6);
    }

    [Test]
    public async Task A_static_lambda_has_nothing_to_show_and_still_records()
    {
        await using var harness = new TrackerHarness();

        FluentActions.Invoking(() => ErrorTracker.Track(static () => Fail(null!, null!))).Should().Throw<InvalidOperationException>();

        (await LambdaFrameAsync(harness)).Variables.Should().NotContain(v => v.Origin == VariableOrigin.Closure);
    }

    private static async Task<FrameDetail> LambdaFrameAsync(TrackerHarness harness)
    {
        var record = (await harness.AllAsync()).Should().ContainSingle().Subject;
        var frames = (await harness.DetailAsync(record.Hash)).FirstOccurrence.Exception.Frames;
        // The innermost lambda: the tracked one, not the test's own FluentActions lambda further out.
        return frames.First(f => f.Method.EndsWith(".lambda", StringComparison.Ordinal));
    }

    private static int Depth(RecordedValue value) => value.Children.Count == 0 ? 1 : 1 + value.Children.Max(c => Depth(c.Value));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Fail(Node node, Node chain) => throw new InvalidOperationException($"{node?.Name} {chain?.Name}");

    internal sealed record Order(string Sku, int Quantity);

    internal sealed class Node(string name)
    {
        public string Name { get; } = name;

        public Node? Next { get; set; }
    }

    internal sealed class OrderDesk(string region, string apiKey)
    {
        private readonly string _region = region;
        private readonly string _apiKey = apiKey;

        public event EventHandler? Changed;

        public int Placed { get; private set; }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void Place(Order order, int quantity, string password)
        {
            Placed++;
            Changed?.Invoke(this, EventArgs.Empty);
            throw new InvalidOperationException($"{_region}: cannot place {quantity} x {order.Sku} ({password.Length}, {_apiKey.Length})");
        }

        public void PlaceAll(IEnumerable<string> skus)
        {
            var batch = 7;
            foreach (var sku in skus)
            {
                ErrorTracker.Track(() =>
                {
                    if (sku == "ink")
                    {
                        Place(new Order(sku, batch), batch, "pw");
                    }
                });
            }
        }

        public void PlaceNothing() => ErrorTracker.Track(() => Place(new Order("none", 0), 0, "pw"));
    }
}
