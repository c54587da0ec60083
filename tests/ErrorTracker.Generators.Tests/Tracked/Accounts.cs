using System.Runtime.CompilerServices;

namespace ErrorTracking.Generators.Tests.Tracked;

/// <summary>Real [TrackExceptions] code compiled in this project, so the generator wraps the tests' calls of it.</summary>
[TrackExceptions]
public sealed class Accounts
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void SignIn(string user, string password) => throw new UnauthorizedAccessException("bad credentials for " + user);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public int Balance(string user) => user.Length;

    // Three nested wrapped calls: each calls the next through its interceptor, since they are calls in this project.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Checkout(int orderId) => Reserve(orderId, sku: "SKU-" + orderId);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Reserve(int orderId, string sku) => Charge(amount: orderId * 10m);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Charge(decimal amount) => throw new InvalidOperationException("card declined");

    [TrackExceptions(Silent = true)]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public int TryParse(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task<int> LoadAsync(int id)
    {
        await Task.Yield();
        throw new TimeoutException("load " + id);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task<int> ReportAsync(string title) => await LoadAsync(title.Length);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask SaveAsync(string name)
    {
        await Task.Yield();
        throw new IOException("disk full: " + name);
    }

    public async IAsyncEnumerable<int> Pages(int size)
    {
        await Task.Yield();
        yield return size;
        throw new InvalidDataException("page 2 of " + size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public T Convert<T>(object value) => (T)value;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Transfer(ref int from, in int amount, out int to)
    {
        from -= amount;
        to = amount;
        throw new ArithmeticException("limit");
    }
}

/// <summary>An extension method with its own attribute.</summary>
public static class AccountExtensions
{
    [TrackExceptions]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Describe(this Accounts accounts, int level) => throw new NotSupportedException("level " + level + " of " + accounts);
}
