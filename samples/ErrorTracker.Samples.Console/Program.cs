using ErrorTracking;
using ErrorTracking.Rendering;
using ErrorTracking.Samples.ConsoleApp;
using ErrorTracking.Storage;

// Records a few different failures and prints what was stored, masked.
var store = new InMemoryErrorStore();
using (ErrorTracker.Init(options =>
{
    options.Store = store;
    options.ApplicationName = "console-sample";
}))
{
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
    await ErrorTracker.TrackAsync(() => Task.WhenAll(orders.ChargeAsync(10m), orders.ChargeAsync(20m)), silent: true);
    await ErrorTracker.FlushAsync(TimeSpan.FromSeconds(5));
}

var page = await store.ListAsync(new ErrorQuery { PageSize = 20 }, CancellationToken.None);
Console.WriteLine($"{page.TotalCount} groups recorded");
foreach (var record in page.Items)
{
    var detail = await store.GetAsync(record.Hash, CancellationToken.None);
    Console.WriteLine();
    Console.WriteLine($"{record.Hash[..12]}  {record.ExceptionName}  x{record.Count}");
    Console.WriteLine(TracebackRenderer.Render(detail!.LatestOccurrence));
}
