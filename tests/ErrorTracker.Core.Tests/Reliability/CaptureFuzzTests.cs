using System.Runtime.CompilerServices;
using System.Text.Json;
using ErrorTracking.Capture;
using ErrorTracking.Records;
using ErrorTracking.Testing.Fuzzing;
using ErrorTracking.Tests.Support;

namespace ErrorTracking.Tests.Reliability;

/// <summary>
/// Generated object graphs (<see cref="FuzzInput"/>) recorded as the variables, context, exception data, exception
/// properties and message of real exceptions: recording never throws, every occurrence stays within a bound that
/// follows from the options, and no planted secret survives anywhere in what the store is handed, serialized with
/// System.Text.Json. The seed is in every message; set <c>ERRORTRACKER_FUZZ_SEED</c> to replay another.
/// </summary>
public sealed class CaptureFuzzTests
{
    private const int Cases = 1_500;
    private const int MaxStringLength = 1_000;
    private const int MaxValueNodes = 400;

    /// <summary>
    /// What one occurrence may take serialized: the values rendered in one occurrence are at most
    /// <see cref="CaptureBudget.NodesPerEventFactor"/> times <c>MaxValueNodes</c>, each string at most
    /// <c>MaxStringLength</c> characters plus "...", each character at most 6 bytes of escaped JSON, plus a kilobyte
    /// per value for names, kinds and type names, plus 256 KB for the frames, source and environment.
    /// </summary>
    private const long MaxSerializedLength = 256 * 1024 + (long)CaptureBudget.NodesPerEventFactor * MaxValueNodes * (6 * (MaxStringLength + 3) + 1024);

    private static readonly JsonSerializerOptions Deep = new() { MaxDepth = 1024 };

    [Test]
    public async Task Generated_graphs_never_break_recording_stay_bounded_and_leak_no_planted_secret()
    {
        var seed = FuzzInput.RunSeed(20_260_301);
        var fuzz = new FuzzInput(seed);
        var store = new ControllableStore();
        using (ErrorTracker.Init(o =>
        {
            o.Store = store;
            o.MaxStringLength = MaxStringLength;
            o.MaxCollectionItems = 25;
            o.MaxDepth = 40;
            o.MaxValueNodes = MaxValueNodes;
            o.SourceContextLines = 0;
            o.QueueCapacity = Cases;
            o.MaskedValuePatterns = [FuzzInput.CustomPattern];
        }))
        {
            for (var i = 0; i < Cases; i++)
            {
                string? hash = null;
                FluentActions.Invoking(() => hash = RecordOne(fuzz)).Should().NotThrow($"recording case {i} of seed {seed} must not throw");
                hash.Should().NotBeNull($"case {i} of seed {seed} is recorded");
            }

            (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(30))).Should().BeTrue($"seed {seed}: everything is stored");
            ErrorTracker.Statistics!.Stored.Should().Be(Cases, $"seed {seed}");
        }

        var saved = store.Saved;
        saved.Should().HaveCount(Cases);
        var largest = 0L;
        var masked = 0;
        for (var i = 0; i < saved.Count; i++)
        {
            var json = JsonSerializer.Serialize(saved[i], Deep);
            largest = Math.Max(largest, json.Length);
            ((long)json.Length).Should().BeLessThanOrEqualTo(MaxSerializedLength, $"occurrence {i} of seed {seed} stays within the bound the options set");
            var survivor = FuzzInput.SecretShape.Match(json);
            survivor.Success.Should().BeFalse(
                $"occurrence {i} of seed {seed} holds the planted secret {survivor.Value} near: {Around(json, survivor.Index)}");
            masked += CountOccurrences(json, "**************");
        }

        TestContext.Out.WriteLine($"seed {seed}: {Cases} cases, {fuzz.Planted} secrets planted, {masked} masks, largest occurrence {largest:N0} characters of JSON (bound {MaxSerializedLength:N0})");
        masked.Should().BeGreaterThan(Cases, "the secrets were there and were masked, not missing");
    }

    private static string RecordOne(FuzzInput fuzz)
    {
        var variables = new Dictionary<string, object?>
        {
            [fuzz.PlainKey()] = fuzz.Graph(6),
            [fuzz.SensitiveKey()] = fuzz.Secret(),
            [fuzz.PlainKey() + "_graph"] = fuzz.Graph(8),
        };
        var context = new Dictionary<string, object?> { [fuzz.SensitiveKey()] = fuzz.Secret(), ["note"] = fuzz.TextWithSecret(), ["graph"] = fuzz.Graph(4) };
        try
        {
            Fail(fuzz.TextWithSecret(), fuzz);
            throw new AssertionException("Fail did not fail");
        }
        catch (FuzzedException exception)
        {
            exception.Data[fuzz.SensitiveKey()] = fuzz.Secret();
            exception.Data[fuzz.PlainKey()] = fuzz.Graph(3);
            return ErrorTracker.RecordException(exception, variables, context)!;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Fail(string message, FuzzInput fuzz) =>
        throw new FuzzedException(message, new InvalidOperationException(fuzz.TextWithSecret())) { Token = fuzz.Secret(), Payload = fuzz.Graph(3) };

    private static int CountOccurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string Around(string text, int index) => index < 0 ? "" : text[Math.Max(0, index - 200)..Math.Min(text.Length, index + 60)];

    private sealed class FuzzedException(string message, Exception inner) : Exception(message, inner)
    {
        public string Token { get; init; } = "";

        public object? Payload { get; init; }
    }
}
