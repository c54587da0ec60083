using System.Runtime.CompilerServices;
using ErrorTracking.Grouping;
using ErrorTracking.Records;
using ErrorTracking.Tests.Support;

namespace ErrorTracking.Tests.Grouping;

/// <summary>Messages an integration groups by a key of its own (an HTTP status answered): no stack, one group per key.</summary>
public sealed class GroupedMessageTests
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string? FromHere(string message, string key) => ErrorTracker.CaptureGroupedMessage(message, key, ErrorLevel.Warning);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<string?> FromAContinuation(string message, string key)
    {
        await Task.Yield();
        return ErrorTracker.CaptureGroupedMessage(message, key, ErrorLevel.Warning);
    }

    [Test]
    public async Task The_key_groups_it_wherever_it_is_recorded_from_and_no_frame_is_kept()
    {
        await using var harness = new TrackerHarness();

        var first = FromHere("HTTP 404 Not Found: GET (no endpoint)", "404 GET");
        var again = await FromAContinuation("HTTP 404 Not Found: GET (no endpoint) again", "404 GET");
        var other = FromHere("HTTP 404 Not Found: GET (no endpoint)", "404 POST");

        again.Should().Be(first, "neither the call site nor the text splits a group the key makes");
        other.Should().NotBe(first);
        first.Should().NotBe(Fingerprint.Hash("404 GET"), "a given key is kept apart from the keys of a custom fingerprint");
        var detail = await harness.DetailAsync(first);
        detail.Record.Count.Should().Be(2);
        detail.Record.ExceptionName.Should().Be("Message");
        detail.FirstOccurrence.Level.Should().Be(ErrorLevel.Warning);
        detail.FirstOccurrence.Exception.Frames.Should().BeEmpty();
        detail.LatestOccurrence.Exception.Frames.Should().BeEmpty();
    }

    [Test]
    public async Task The_applications_fingerprint_still_comes_first()
    {
        await using var harness = new TrackerHarness(o => o.Fingerprint = e => e.Message.StartsWith("HTTP 5", StringComparison.Ordinal) ? "server" : null);

        FromHere("HTTP 500 Internal Server Error: GET /a", "500 GET /a").Should().Be(Fingerprint.Hash("server"));
        FromHere("HTTP 404 Not Found: GET /a", "404 GET /a").Should().Be(Fingerprint.Hash(Fingerprint.GivenKey("404 GET /a")));
    }

    [Test]
    public async Task Nothing_is_recorded_without_a_key_and_nothing_throws()
    {
        await using var harness = new TrackerHarness();

        ErrorTracker.CaptureGroupedMessage("no key", null!).Should().BeNull();
        ErrorTracker.CaptureGroupedMessage(null!, "key").Should().BeNull();
        (await harness.AllAsync()).Should().BeEmpty();
    }
}
