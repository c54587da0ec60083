using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ErrorTracking.AspNetCore.Tests.Support;
using ErrorTracking.Testing.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.AspNetCore.Tests;

/// <summary>
/// Every secret format of the corpus planted in each of eight places a failing request can carry it (the exception's
/// message, a variable named <c>value</c>, one named <c>apiKey</c>, <c>Exception.Data</c>, an ordinary header, a query
/// parameter, a JSON body field, a form field), a fresh sample per place, recorded into SQLite: no sample is in the
/// bytes of the database or its write-ahead log, and the visible marker planted beside each one is, so every place
/// was really stored.
/// </summary>
public sealed partial class SecretCorpusTests
{
    private static readonly string[] Places = ["message", "value", "apiKey", "data", "header", "query", "json", "form"];

    [Test]
    public async Task No_planted_secret_of_any_format_in_any_place_reaches_the_database_or_its_log()
    {
        var corpus = new SecretCorpus(seed: 14);
        var cells = new Dictionary<(int Format, string Place), string>();
        for (var format = 0; format < SecretCorpus.Formats.Count; format++)
        {
            foreach (var place in Places)
            {
                cells[(format, place)] = SecretCorpus.Formats[format].Make(corpus);
            }
        }

        using var database = new TestDatabase();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddErrorTracker(_ => { }).UseSqlite($"Data Source={database.File}", o => o.OccurrencesPerGroup = 1_000);
        await using var app = builder.Build();
        app.UseErrorTracker();
        app.MapPost("/plant/{format:int}", async (int format, HttpContext context, IErrorTracker tracker) =>
        {
            string? Cell(string place) => cells[(format, place)];
            if (context.Request.HasFormContentType)
            {
                _ = await context.Request.ReadFormAsync();
            }
            else
            {
                _ = await JsonDocument.ParseAsync(context.Request.Body);
            }

            try
            {
                throw new InvalidOperationException("The import of the note failed.");
            }
            catch (InvalidOperationException ex)
            {
                var value = Cell("value");
                var apiKey = Cell("apiKey");
                tracker.RecordException(ex, new { value, valueSeen = Marker(format, "value"), apiKey, besideTheKey = Marker(format, "apiKey") });
            }

            // Escaping, so the middleware records it with the body the application read.
            var failure = new InvalidOperationException($"{Marker(format, "message")} refused {Cell("message")}");
            failure.Data["note"] = Cell("data");
            failure.Data["noteSeen"] = Marker(format, "data");
            throw failure;
        });
        await app.StartAsync();
        var client = app.GetTestClient();

        for (var format = 0; format < SecretCorpus.Formats.Count; format++)
        {
            foreach (var form in new[] { false, true })
            {
                var query = $"?q={Uri.EscapeDataString(cells[(format, "query")])}&seen={Marker(format, "query")}";
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/plant/{format}{query}");
                // A header value cannot hold a line break; a key pasted into one has spaces instead.
                request.Headers.Add("X-Note", cells[(format, "header")].Replace('\n', ' '));
                request.Headers.Add("X-Note-Seen", Marker(format, "header"));
                request.Content = form
                    ? new FormUrlEncodedContent(new Dictionary<string, string> { ["comment"] = cells[(format, "form")], ["commentSeen"] = Marker(format, "form") })
                    : new StringContent(JsonSerializer.Serialize(new { comment = cells[(format, "json")], commentSeen = Marker(format, "json") }), Encoding.UTF8, "application/json");
                await FluentActions.Awaiting(() => client.SendAsync(request)).Should().ThrowAsync<InvalidOperationException>();
            }

            (await app.Services.GetRequiredService<IErrorTracker>().FlushAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        }

        await app.StopAsync();
        var raw = await database.RawTextAsync();

        var leaks = new List<string>();
        var missing = new List<string>();
        foreach (var ((format, place), secret) in cells)
        {
            if (Fragments(secret).FirstOrDefault(raw.Contains) is { } fragment)
            {
                leaks.Add($"{SecretCorpus.Formats[format].Format} in {place}: {fragment}");
            }

            if (!raw.Contains(Marker(format, place), StringComparison.Ordinal))
            {
                missing.Add($"{SecretCorpus.Formats[format].Format} in {place}");
            }
        }

        missing.Should().BeEmpty($"the marker beside each secret proves its place was stored: {string.Join("; ", missing.Take(12))} ({missing.Count} in all)");
        leaks.Should().BeEmpty($"{leaks.Count} leaks; none of the {cells.Count} planted secrets may be stored in clear");
    }

    private static string Marker(int format, string place) => $"seen{format}x{place}";

    // The secret as written, and its longest run of letters and digits: stored JSON may escape a '+' or a '/'.
    private static IEnumerable<string> Fragments(string secret)
    {
        yield return secret;
        var longest = AlphanumericRun().Matches(secret).Select(m => m.Value).MaxBy(run => run.Length);
        if (longest is { Length: >= 12 })
        {
            yield return longest;
        }
    }

    [GeneratedRegex("[A-Za-z0-9]+")]
    private static partial Regex AlphanumericRun();
}
