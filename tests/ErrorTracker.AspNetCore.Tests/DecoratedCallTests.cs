using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using ErrorTracking.AspNetCore.Tests.Support;
using ErrorTracking.Records;
using ErrorTracking.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.AspNetCore.Tests;

/// <summary>[TrackExceptions] services inside requests: the middleware's scope records their failures with the request.</summary>
public sealed class DecoratedCallTests
{
    private TestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase() => _database = new TestDatabase();

    [TearDown]
    public void RemoveDatabase() => _database.Dispose();

    private async Task<WebApplication> StartAsync()
    {
        var builder = _database.CreateBuilder();
        builder.Services.AddSingleton<ShippingService>();
        var app = builder.Build();
        app.UseErrorTracker();
        var routes = app.MapGroup("").CaptureArguments();
        routes.MapPost("/shipments/{warehouse}", async (string warehouse, Shipment shipment, ShippingService shipping) =>
            Results.Ok(await shipping.ShipAsync(warehouse, shipment.Parcels)));
        routes.MapPost("/shipments/{warehouse}/quote", async (string warehouse, Shipment shipment, ShippingService shipping) =>
        {
            try
            {
                return Results.Ok(await shipping.ShipAsync(warehouse, shipment.Parcels));
            }
            catch (InvalidOperationException)
            {
                return Results.Ok(-1);
            }
        });
        await app.StartAsync();
        return app;
    }

    [Test]
    public async Task A_failure_crossing_awaits_of_decorated_calls_is_one_record_with_every_calls_arguments_the_whole_stack_and_the_body()
    {
        await using var app = await StartAsync();

        await FluentActions.Awaiting(() => app.GetTestClient().PostAsJsonAsync(new Uri("/shipments/north", UriKind.Relative), new Shipment(3, "hunter2")))
            .Should().ThrowAsync<InvalidOperationException>();

        var record = (await TestDatabase.RecordsAsync(app)).Should().ContainSingle().Subject;
        record.Count.Should().Be(1);
        var occurrence = (await TestDatabase.DetailAsync(app, record.Hash)).FirstOccurrence;
        var frames = occurrence.Exception.Frames;
        Arguments(frames, nameof(ShippingService.Weigh)).Should().Equal(("parcels", "3"), ("scale", "\"north-scale\""));
        Arguments(frames, nameof(ShippingService.ShipAsync)).Should().Equal(("warehouse", "\"north\""), ("parcels", "3"));
        frames.Should().Contain(f => f.Method.EndsWith(".lambda", StringComparison.Ordinal)
            && f.Variables.Any(v => v.Name == "warehouse" && v.Origin == VariableOrigin.Argument), "the endpoint's own arguments are added too");
        ValueText.Format(occurrence.RequestData.Single(r => r.Name == "body").Value).Should().Contain("parcels: 3").And.NotContain("hunter2");
    }

    [Test]
    public async Task A_decorated_failure_handled_inside_the_request_is_recorded_when_the_request_ends()
    {
        await using var app = await StartAsync();

        var response = await app.GetTestClient().PostAsJsonAsync(new Uri("/shipments/south/quote", UriKind.Relative), new Shipment(4, "pw"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var record = (await TestDatabase.RecordsAsync(app)).Should().ContainSingle().Subject;
        record.Path.Should().Be("/shipments/south/quote", "the request is still described when the scope records it");
        var frames = (await TestDatabase.DetailAsync(app, record.Hash)).FirstOccurrence.Exception.Frames;
        Arguments(frames, nameof(ShippingService.Weigh)).Should().Equal(("parcels", "4"), ("scale", "\"south-scale\""));
    }

    private static IEnumerable<(string Name, string Text)> Arguments(IReadOnlyList<FrameDetail> frames, string method) =>
        frames.Single(f => f.Method == method).Variables.Where(v => v.Origin == VariableOrigin.Argument).Select(v => (v.Name, ValueText.Format(v.Value)));

    internal sealed record Shipment(int Parcels, string Password);

    [TrackExceptions]
    internal sealed class ShippingService
    {
        public async Task<int> ShipAsync(string warehouse, int parcels)
        {
            await Task.Yield();
            return Weigh(parcels, warehouse + "-scale");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public int Weigh(int parcels, string scale) => throw new InvalidOperationException($"The scale {scale} is offline ({parcels} parcels waiting).");
    }
}
