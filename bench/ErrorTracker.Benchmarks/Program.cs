using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using ErrorTracking.Benchmarks;
using ErrorTracking.Benchmarks.Capture;

// A modest default job, so a full run fits in minutes on a small machine; "--job short" (or any --job) replaces it
// instead of running next to it, which is how run-quick gets its reduced run.
// An explicit id, because BenchmarkDotNet otherwise names the job (and its build directory) "IterationCount=10, WarmupCount=3", which MSBuild cannot build in.
var config = DefaultConfig.Instance;
var jobGiven = args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
if (!jobGiven)
{
    config = config.AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithId("Full"));
}

// bench/dashboard-load's helper: fills (or reuses) the list data set in a SQLite file under the given directory, for the
// web sample's dashboard to serve, and prints the file and the hash of the group whose detail page is measured.
if (args is ["fill-list-sqlite", var directory])
{
    Directory.CreateDirectory(directory);
    var file = Path.Combine(directory, $"list-{ListData.Groups}.db");
    var connectionString = $"Data Source={file}";
    await ListData.FillSqliteAsync(connectionString, ErrorTracking.Storage.SqlErrorStore.ForSqlite(connectionString));
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Console.WriteLine($"file {file}");
    Console.WriteLine($"hash {ListBenchmarks.GroupHash}");
    return;
}

// The scratch directory and PostgreSQL server are for the store benchmarks only: a run filtered to the capture or
// decorator benchmarks does without them (and without the seconds a throwaway cluster takes to start).
var filters = args.SkipWhile(a => a is not ("--filter" or "-f")).Skip(1).TakeWhile(a => !a.StartsWith('-')).ToList();
var needsStores = filters.Count == 0 || filters.Exists(f => !f.Contains("Capture", StringComparison.Ordinal) && !f.Contains("Decorator", StringComparison.Ordinal));
await using var environment = needsStores ? await BenchEnvironment.StartAsync() : null;
var summaries = BenchmarkSwitcher.FromAssembly(typeof(WriteBenchmarks).Assembly).Run(args, config);
CaptureRatios.Print(summaries);
