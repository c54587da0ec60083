namespace ErrorTracking.Samples.Web;

/// <summary>
/// A service a few awaits deep, so the recorded stack shows an async failure far from the endpoint. Marked
/// [TrackExceptions]: each call of its methods compiled here is wrapped, and the failing one's arguments are shown
/// under its frame on the dashboard (its private helper is left alone).
/// </summary>
[TrackExceptions]
internal sealed class ReportService
{
    private readonly Dictionary<string, decimal> _rates = new(StringComparer.Ordinal) { ["EUR"] = 1.08m, ["GBP"] = 1.27m };

    public async Task<decimal> MonthlyTotalAsync(string currency, int month)
    {
        var lines = await LoadLinesAsync(month);
        return await ConvertAsync(lines.Sum(), currency);
    }

    private static async Task<decimal[]> LoadLinesAsync(int month)
    {
        await Task.Delay(5);
        return [120.5m * month, 99.99m, 42m];
    }

    internal async Task<decimal> ConvertAsync(decimal total, string currency)
    {
        await Task.Yield();
        // The sample's bug: a currency without a rate.
        return total * _rates[currency];
    }
}
