namespace ErrorTracking.Samples.ConsoleApp;

/// <summary>Fails in the ways applications do.</summary>
internal sealed class OrderService
{
    public void Place(int orderId, int quantity)
    {
        if (quantity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"Order {orderId} needs a positive quantity.");
        }
    }

    public void Import(string connectionString)
    {
        try
        {
            throw new TimeoutException($"Could not connect with '{connectionString}'.");
        }
        catch (TimeoutException inner)
        {
            throw new InvalidOperationException("The import failed.", inner);
        }
    }

    public async Task ChargeAsync(decimal amount)
    {
        await Task.Delay(10);
        throw new InvalidOperationException($"Card declined for {amount}.");
    }
}
