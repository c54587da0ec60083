using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using ErrorTracking.Storage;

namespace ErrorTracking.Benchmarks;

/// <summary>
/// The happy path of a call to a <see cref="TrackExceptionsAttribute"/> method (rewritten by the source generator)
/// against the same call to an identical undecorated method: the wrapper must add nothing measurable when nothing
/// fails. A tracker is running, as in an application.
/// </summary>
[MemoryDiagnoser]
public class DecoratorBenchmarks
{
    private readonly Pricing _pricing = new();
    private IDisposable? _tracker;
    private int _quantity = 3;

    [GlobalSetup]
    public void Start() => _tracker = ErrorTracker.Init(o => o.Store = new InMemoryErrorStore());

    [GlobalCleanup]
    public void Stop() => _tracker?.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("sync")]
    public decimal Undecorated() => _pricing.Price("book", _quantity++ & 7);

    [Benchmark]
    [BenchmarkCategory("sync")]
    public decimal Decorated() => _pricing.TrackedPrice("book", _quantity++ & 7);

    [Benchmark]
    [BenchmarkCategory("async")]
    public Task<decimal> UndecoratedAsync() => _pricing.PriceAsync("book", _quantity++ & 7);

    [Benchmark]
    [BenchmarkCategory("async")]
    public Task<decimal> DecoratedAsync() => _pricing.TrackedPriceAsync("book", _quantity++ & 7);
}

/// <summary>Two identical methods, one decorated. Not inlined, so both calls cost a real call.</summary>
public sealed class Pricing
{
    private static readonly Task<decimal> s_zero = Task.FromResult(0m);

    /// <summary>The undecorated method.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public decimal Price(string sku, int quantity) => quantity < 0 ? throw new ArgumentOutOfRangeException(nameof(quantity)) : sku.Length * 2.5m * quantity;

    /// <summary>The same method, decorated.</summary>
    [TrackExceptions]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public decimal TrackedPrice(string sku, int quantity) => quantity < 0 ? throw new ArgumentOutOfRangeException(nameof(quantity)) : sku.Length * 2.5m * quantity;

    /// <summary>The undecorated async method, completing synchronously as a cache hit would.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task<decimal> PriceAsync(string sku, int quantity) => quantity == 0 ? s_zero : Task.FromResult(Price(sku, quantity));

    /// <summary>The same async method, decorated.</summary>
    [TrackExceptions]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task<decimal> TrackedPriceAsync(string sku, int quantity) => quantity == 0 ? s_zero : Task.FromResult(Price(sku, quantity));
}
