using ErrorTracking.Records;
using ErrorTracking.Rendering;
using ErrorTracking.Storage;

namespace ErrorTracking.Generators.Tests.Support;

/// <summary>A real tracker installed through the static facade, over an in-memory store, for one test.</summary>
internal sealed class TrackedRun : IDisposable
{
    private readonly IDisposable _handle;

    public TrackedRun() => _handle = ErrorTracker.Init(options => options.Store = Store);

    public InMemoryErrorStore Store { get; } = new();

    /// <summary>Every stored record's first occurrence, after the pipeline has written what was recorded.</summary>
    public async Task<IReadOnlyList<(ErrorRecord Record, ErrorEvent Occurrence)>> RecordsAsync()
    {
        (await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("everything recorded should be stored");
        var page = await Store.ListAsync(new ErrorQuery { PageSize = 100 }, CancellationToken.None);
        var records = new List<(ErrorRecord, ErrorEvent)>();
        foreach (var record in page.Items)
        {
            var detail = await Store.GetAsync(record.Hash, CancellationToken.None);
            records.Add((record, detail!.FirstOccurrence));
        }

        return records;
    }

    /// <summary>The one occurrence recorded, counted once.</summary>
    public async Task<ErrorEvent> SingleAsync()
    {
        var records = await RecordsAsync();
        records.Should().ContainSingle("one failure is one record");
        records[0].Record.Count.Should().Be(1);
        return records[0].Occurrence;
    }

    public void Dispose() => _handle.Dispose();
}

/// <summary>Reads the arguments a record shows.</summary>
internal static class Recorded
{
    /// <summary>The arguments shown under the frame of <paramref name="method"/>, as text.</summary>
    public static Dictionary<string, string> ArgumentsOf(this ErrorEvent occurrence, string method)
    {
        var frame = occurrence.Exception.Frames.Should().ContainSingle(f => f.Method == method, $"{method} should have one frame").Which;
        return frame.Arguments();
    }

    public static Dictionary<string, string> Arguments(this FrameDetail frame) =>
        frame.Variables.Where(v => v.Origin == VariableOrigin.Argument).ToDictionary(v => v.Name, v => ValueText.Format(v.Value));

    /// <summary>Every argument in the record, whichever frame shows it.</summary>
    public static IEnumerable<CapturedVariable> AllArguments(this ErrorEvent occurrence) =>
        occurrence.Exception.Frames.SelectMany(f => f.Variables).Where(v => v.Origin == VariableOrigin.Argument);
}
