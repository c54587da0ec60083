using BenchmarkDotNet.Reports;

namespace ErrorTracking.Benchmarks.Capture;

/// <summary>
/// After a run that included the capture benchmarks: this tracker's median time and allocations against Sentry's and
/// against the floor, from the same run, with the targets (at most half of Sentry's, at most 3x the floor).
/// </summary>
internal static class CaptureRatios
{
    public static void Print(IEnumerable<Summary> summaries)
    {
        var reports = summaries.SelectMany(s => s.Reports.Select(r => (Summary: s, Report: r)))
            .Where(x => x.Report.BenchmarkCase.Descriptor.Type == typeof(CaptureBenchmarks) && x.Report.ResultStatistics is not null)
            .ToDictionary(x => x.Report.BenchmarkCase.Descriptor.WorkloadMethod.Name, x => (
                Median: x.Report.ResultStatistics!.Median,
                Bytes: x.Report.GcStats.GetBytesAllocatedPerOperation(x.Report.BenchmarkCase) ?? 0));
        if (!reports.TryGetValue(nameof(CaptureBenchmarks.RecordException), out var ours))
        {
            return;
        }

        if (reports.TryGetValue(nameof(CaptureBenchmarks.ThrowAndCatch), out var floor))
        {
            Line("floor (throw+catch)", ours, floor, 3.0, "at most 3x");
        }

        if (reports.TryGetValue(nameof(CaptureBenchmarks.SentryCaptureException), out var sentry))
        {
            Line("Sentry CaptureException", ours, sentry, 0.5, "at most 0.5x");
        }

        if (reports.TryGetValue(nameof(CaptureBenchmarks.SentryCaptureExceptionWithExtras), out var extras))
        {
            Line("Sentry with extras", ours, extras, 0.5, "at most 0.5x");
        }
    }

    private static void Line(string against, (double Median, long Bytes) ours, (double Median, long Bytes) other, double target, string targetText)
    {
        var time = ours.Median / other.Median;
        var bytes = other.Bytes == 0 ? double.PositiveInfinity : (double)ours.Bytes / other.Bytes;
        Console.WriteLine(
            $"capture: RecordException vs {against}: time {time:F2}x ({ours.Median / 1000:F1} vs {other.Median / 1000:F1} us), "
            + $"allocations {bytes:F2}x ({ours.Bytes / 1024.0:F1} vs {other.Bytes / 1024.0:F1} KB); target {targetText}: "
            + (time <= target && bytes <= target ? "met" : "missed"));
    }
}
