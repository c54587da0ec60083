using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using ErrorTracking.Benchmarks;

// A modest default job, so a full run fits in minutes on a small machine; "--job short" (or any --job) replaces it
// instead of running next to it, which is how run-quick gets its reduced run.
// An explicit id, because BenchmarkDotNet otherwise names the job (and its build directory) "IterationCount=10, WarmupCount=3", which MSBuild cannot build in.
var config = DefaultConfig.Instance;
var jobGiven = args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
if (!jobGiven)
{
    config = config.AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithId("Full"));
}

await using var environment = await BenchEnvironment.StartAsync();
BenchmarkSwitcher.FromAssembly(typeof(WriteBenchmarks).Assembly).Run(args, config);
