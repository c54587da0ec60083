using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace ErrorTracking.Benchmarks;

/// <summary>
/// Columns every store benchmark reports: the median resists the occasional fsync or checkpoint stall better than the
/// mean, p95 shows how bad those stalls get, and allocations show what the store costs the GC per call.
/// </summary>
public sealed class StoreBenchmarkConfig : ManualConfig
{
    public StoreBenchmarkConfig()
    {
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
