using System.Text;
using BenchmarkDotNet.Attributes;

namespace ErrorTracking.Benchmarks.Capture;

/// <summary>
/// Masking a large text (log lines with a token, a card number and a key=value secret every fiftieth line) as a
/// recorded message: 100 KB against 1 MB, so the ratio of the two medians shows whether the scan stays linear.
/// </summary>
[Config(typeof(StoreBenchmarkConfig))]
public class MaskingBenchmarks
{
    private IDisposable? _tracker;
    private IErrorTracker _recorder = null!;
    private string _text = "";

    /// <summary>The text's length in characters.</summary>
    [Params(100_000, 1_000_000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tracker = ErrorTracker.Init(options =>
        {
            options.Store = new DiscardingStore();
            options.MaxStringLength = 2_000_000;
            options.ApplicationName = "masking benchmark";
        });
        _recorder = ErrorTracker.Current ?? throw new InvalidOperationException("ErrorTracker.Init set no tracker.");
        var random = new Random(42);
        var text = new StringBuilder(Length + 200);
        for (var line = 0; text.Length < Length; line++)
        {
            text.Append("2026-12-04 18:52:28.123 [INF] Processed order ").Append(random.Next(1, 1_000_000)).Append(" for customer c-")
                .Append(random.Next(1, 100_000)).Append(" in ").Append(random.Next(1, 900)).Append(" ms");
            if (line % 50 == 0)
            {
                text.Append(" with ghp_").Append(Convert.ToHexString(BitConverter.GetBytes(random.NextInt64()))).Append("abcdefghijABCDEFGHIJ")
                    .Append(" card 4111 1111 1111 1111 password=hunter").Append(line);
            }

            text.Append('\n');
        }

        _text = text.ToString(0, Length);
    }

    [GlobalCleanup]
    public void Cleanup() => _tracker?.Dispose();

    /// <summary>The text recorded as a message: masked on the calling thread.</summary>
    [Benchmark]
    public string? MaskLargeText() => _recorder.CaptureMessage(_text);
}
