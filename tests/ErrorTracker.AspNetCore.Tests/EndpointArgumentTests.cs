using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using ErrorTracking.AspNetCore.Tests.Support;
using ErrorTracking.Records;
using ErrorTracking.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ErrorTracking.AspNetCore.Tests;

public sealed class EndpointArgumentTests
{
    private TestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase() => _database = new TestDatabase();

    [TearDown]
    public void RemoveDatabase() => _database.Dispose();

    // Minimal API endpoints under /api, a controller under /mvc: the same arguments, the same failure.
    private async Task<WebApplication> StartAsync(bool captureArguments = true)
    {
        var builder = _database.CreateBuilder();
        builder.Services.AddSingleton<AccountDirectory>();
        builder.Services.AddControllers().AddApplicationPart(typeof(AccountsController).Assembly);
        var app = builder.Build();
        app.UseErrorTracker();
        if (!captureArguments)
        {
            // What the tracker would record without the filter UseErrorTracker() added for controllers.
            var filters = app.Services.GetRequiredService<IOptions<MvcOptions>>().Value.Filters;
            filters.Where(f => f.GetType().Name == "ActionArgumentsFilter").ToList().ForEach(f => filters.Remove(f));
        }

        var api = app.MapGroup("/api");
        if (captureArguments)
        {
            api.CaptureArguments();
        }

        api.MapPost("/accounts/{id:int}", AccountEndpoints.Create);
        api.MapGet("/accounts/{id:int}", AccountEndpoints.Get);
        app.MapControllers();
        await app.StartAsync();
        return app;
    }

    private static async Task FailAsync(WebApplication app, string path, int id, string password, string token)
    {
        var signup = new Signup("ada@example.com", new Profile("Ada", token));
        await FluentActions.Awaiting(() => app.GetTestClient().PostAsJsonAsync(new Uri($"{path}/{id}?password={password}", UriKind.Relative), signup))
            .Should().ThrowAsync<InvalidOperationException>().WithMessage($"Account {id} cannot be created");
    }

    private static string NewSecret() => "S3cr3t-" + Guid.NewGuid().ToString("N");

    [TestCase("/api/accounts", typeof(AccountEndpoints), TestName = "A failing minimal API endpoint is recorded with its arguments, masked, in its own group")]
    [TestCase("/mvc/accounts", typeof(AccountsController), TestName = "A failing controller action is recorded with its arguments, masked, in its own group")]
    public async Task Failing_endpoints_are_recorded_with_their_arguments(string path, Type handler)
    {
        // Made at run time: a literal would be in this file's source, which the source context shows as it is.
        var password = NewSecret();
        var token = NewSecret();

        string hash;
        await using (var app = await StartAsync())
        {
            await FailAsync(app, path, 5, password, token);

            hash = (await TestDatabase.RecordsAsync(app)).Should().ContainSingle().Subject.Hash;
            var frame = (await TestDatabase.DetailAsync(app, hash)).FirstOccurrence.Exception.Frames
                .Single(f => f.DeclaringType == handler.FullName && f.Method == "Create");
            var arguments = frame.Variables.Where(v => v.Origin == VariableOrigin.Argument).ToDictionary(v => v.Name, v => ValueText.Format(v.Value));
            arguments.Should().Equal(new Dictionary<string, string>
            {
                ["id"] = "5",
                ["password"] = "**************",
                ["signup"] = "Signup { Email = \"ada@example.com\", Profile = Profile { DisplayName = \"Ada\", ApiToken = ************** } }",
            }, "the request, the cancellation token and services are left out");
        }

        await using (var app = await StartAsync(captureArguments: false))
        {
            await FailAsync(app, path, 6, NewSecret(), NewSecret());

            var record = (await TestDatabase.RecordsAsync(app)).Should().ContainSingle().Subject;
            record.Hash.Should().Be(hash, "arguments never change the grouping");
            record.Count.Should().Be(2);
            (await TestDatabase.DetailAsync(app, hash)).LatestOccurrence.Exception.Frames.SelectMany(f => f.Variables)
                .Should().NotContain(v => v.Origin == VariableOrigin.Argument);
        }

        (await _database.RawTextAsync()).Should().Contain("Account").And.NotContain(password[7..]).And.NotContain(token[7..]);
    }

    [TestCase("/api/accounts")]
    [TestCase("/mvc/accounts")]
    public async Task A_call_that_succeeds_records_nothing(string path)
    {
        await using var app = await StartAsync();

        var response = await app.GetTestClient().GetAsync(new Uri($"{path}/3", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await TestDatabase.RecordsAsync(app)).Should().BeEmpty();
    }
}

public sealed record Profile(string DisplayName, string ApiToken);

public sealed record Signup(string Email, Profile Profile);

/// <summary>A service: an endpoint's machinery, never shown among its arguments.</summary>
public sealed class AccountDirectory
{
    public string ConnectionString { get; } = "Host=db;Database=accounts";
}

internal static class AccountEndpoints
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IResult Create(int id, string password, Signup signup, AccountDirectory directory, HttpContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"Account {id} cannot be created");

    public static IResult Get(int id, AccountDirectory directory) => Results.Ok(id);
}

[ApiController]
[Route("mvc/accounts")]
public sealed class AccountsController : ControllerBase
{
    [HttpPost("{id:int}")]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public IActionResult Create(int id, [FromQuery] string password, Signup signup, [FromServices] AccountDirectory directory, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"Account {id} cannot be created");

    [HttpGet("{id:int}")]
    public IActionResult Get(int id) => Ok(id);
}
