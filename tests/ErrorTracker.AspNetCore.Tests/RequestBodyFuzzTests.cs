using System.Text;
using System.Text.Json;
using ErrorTracking.AspNetCore.Tests.Support;
using ErrorTracking.Storage;
using ErrorTracking.Testing.Fuzzing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.AspNetCore.Tests;

/// <summary>
/// Generated JSON bodies (valid, malformed, huge, nested past the parser's depth) with planted secrets, posted to an
/// endpoint that reads them and fails: the application's own exception always reaches the caller, the body is cut at
/// <c>MaxRequestBodyLength</c>, and no planted secret is anywhere in the SQLite file. Seeded; the seed is in every message.
/// </summary>
public sealed class RequestBodyFuzzTests
{
    private const int Cases = 300;
    private const int MaxBody = 4_096;

    [Test]
    public async Task Generated_bodies_are_cut_masked_and_never_break_the_request()
    {
        var seed = FuzzInput.RunSeed(9_000);
        var fuzz = new FuzzInput(seed);
        using var database = new TestDatabase();
        await using var app = database.CreateBuilder(o =>
        {
            o.MaxRequestBodyLength = MaxBody;
            o.MaskedValuePatterns = [FuzzInput.CustomPattern];
        }).Build();
        app.UseErrorTracker();
        app.MapPost("/orders", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            await reader.ReadToEndAsync();
            throw new InvalidOperationException("order refused");
        });
        await app.StartAsync();
        var client = app.GetTestClient();

        for (var i = 0; i < Cases; i++)
        {
            var body = (i % 6) switch
            {
                0 => fuzz.Json(8, valid: false),
                1 => fuzz.DeepJson(200 + i),
                2 => fuzz.Json(4, valid: true) + new string(' ', 100_000) + fuzz.TextWithSecret(),
                3 => "{\"items\":[" + string.Join(",", Enumerable.Range(0, 2_000).Select(_ => "{\"" + fuzz.SensitiveKey() + "\":\"" + fuzz.Secret() + "\"}")) + "]}",
                _ => fuzz.Json(6, valid: true),
            };
            using var content = new StringContent(body, Encoding.UTF8, i % 5 == 0 ? "text/plain" : "application/json");
            var thrown = await FluentActions.Awaiting(() => client.PostAsync(new Uri("/orders", UriKind.Relative), content)).Should().ThrowAsync<Exception>();
            thrown.Which.Should().BeOfType<InvalidOperationException>($"case {i} of seed {seed}: the application's own exception reaches the caller");
        }

        var groups = await TestDatabase.RecordsAsync(app);
        groups.Should().ContainSingle().Which.Count.Should().Be(Cases, $"seed {seed}: every request is recorded");
        var occurrences = await app.Services.GetRequiredService<IErrorStore>().ListOccurrencesAsync(groups[0].Hash, 100, CancellationToken.None);
        var bodies = occurrences.SelectMany(o => o.RequestData.Where(r => r.Name == "body")).ToList();
        TestContext.Out.WriteLine($"seed {seed}: {bodies.Count} of {occurrences.Count} kept occurrences have a body; sections: {string.Join(",", occurrences[0].RequestData.Select(r => r.Name))}");
        bodies.Should().NotBeEmpty($"seed {seed}: the bodies the application read are recorded");
        foreach (var body in bodies)
        {
            JsonSerializer.Serialize(body.Value).Length.Should().BeLessThan(MaxBody * 8, $"seed {seed}: the body is cut at MaxRequestBodyLength");
        }

        var raw = await database.RawTextAsync();
        var survivor = FuzzInput.SecretShape.Match(raw);
        survivor.Success.Should().BeFalse($"seed {seed}: planted secret {survivor.Value} survived near: {(survivor.Success ? raw[Math.Max(0, survivor.Index - 200)..Math.Min(raw.Length, survivor.Index + 40)] : "")}");
    }
}
