using System.Runtime.CompilerServices;

namespace ErrorTracking.Benchmarks.Capture;

/// <summary>
/// The failing code of the capture benchmarks: a request handler's call chain ten methods deep, each with a parameter
/// or two, the innermost throwing. Not inlined, so every level is a real frame in the stack trace. Each call throws a
/// new exception, as each failing request would.
/// </summary>
public static class Checkout
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static decimal PlaceOrder(int orderId, string customer, int quantity) => Validate(orderId, customer, quantity) + 1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static decimal Validate(int orderId, string customer, int quantity) => LoadCart(orderId, quantity) + customer.Length;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static decimal LoadCart(int orderId, int quantity) => PriceLines(orderId, quantity) * 2;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static decimal PriceLines(int orderId, int quantity) => ApplyDiscounts(orderId, quantity * 10m) - 1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static decimal ApplyDiscounts(int orderId, decimal subtotal) => ComputeTax(orderId, subtotal) + 3;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static decimal ComputeTax(int orderId, decimal subtotal) => LookUpRate(orderId, "CH") * subtotal;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static decimal LookUpRate(int orderId, string country) => ReadRateTable(orderId, country) / 100;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static decimal ReadRateTable(int orderId, string country) => ParseRate(orderId, country + "-VAT") + 0.5m;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static decimal ParseRate(int orderId, string key) => Convert(orderId, key) * 1.0m;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static decimal Convert(int orderId, string key) =>
        throw new InvalidOperationException($"No tax rate '{key}' for order {orderId}: the rate table is empty.");
}
