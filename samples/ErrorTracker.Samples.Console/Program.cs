using ErrorTracking;
using ErrorTracking.Rendering;
using ErrorTracking.Samples.ConsoleApp;
using ErrorTracking.Storage;

// Records a few different failures into an SQLite file and prints what was stored, masked.
// Usage: [--db errors.db] [--crash]   (--crash ends the run with an unhandled exception, recorded before the process dies)
var database = args.SkipWhile(a => a != "--db").Skip(1).FirstOrDefault() ?? "errors.db";
var connectionString = $"Data Source={database}";

// Not disposed by a using: in an async Main that would stop the tracker before an unhandled exception reaches it.
// Pending records are stored on Dispose below, at process exit, and before a crash ends the process.
var tracker = ErrorTracker.Init(options =>
{
    options.UseSqlite(connectionString);
    options.ApplicationName = "console-sample";
});

var orders = new OrderService();
for (var attempt = 1; attempt <= 2; attempt++)
{
    var password = "hunter2";
    try
    {
        orders.Place(orderId: 40 + attempt, quantity: -1);
    }
    catch (Exception ex)
    {
        ErrorTracker.RecordException(ex, new { attempt, password });
    }
}

ErrorTracker.Track(() => orders.Import("Host=db;Username=app;Password=s3cret;Database=shop"), silent: true);
await ErrorTracker.TrackAsync(() => orders.ChargeAsync(10m), silent: true);
ErrorTracker.RecordException(new AggregateException("Two of the nightly jobs failed.",
    Capture(() => orders.Place(7, 0)), Capture(() => orders.Import("Server=backup;Password=another"))));

if (args.Contains("--crash"))
{
    throw new InvalidOperationException("The nightly import crashed.");
}

await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(5));
tracker.Dispose();

var store = SqlErrorStore.ForSqlite(connectionString);
var page = await store.ListAsync(new ErrorQuery { PageSize = 20 }, CancellationToken.None);
Console.WriteLine($"{page.TotalCount} groups in {database}");
foreach (var record in page.Items)
{
    var detail = await store.GetAsync(record.Hash, CancellationToken.None);
    Console.WriteLine();
    Console.WriteLine($"{record.Hash[..12]}  {record.ExceptionName}  x{record.Count}");
    Console.WriteLine(TracebackRenderer.Render(detail!.LatestOccurrence));
}

static Exception Capture(Action action)
{
    try
    {
        action();
    }
    catch (Exception exception)
    {
        return exception;
    }

    return new InvalidOperationException("expected a failure");
}
