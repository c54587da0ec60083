using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.Decorators;

/// <summary>
/// Replaces one registration of <typeparamref name="TService"/>: builds the implementation as the original
/// registration would have, and hands out a <see cref="TrackingProxy{TService}"/> in front of it.
/// </summary>
internal sealed class TrackingProxyFactory<TService>(ServiceDescriptor original)
    where TService : class
{
    public ServiceDescriptor Describe() => ServiceDescriptor.Describe(typeof(TService), Create, original.Lifetime);

    private TService Create(IServiceProvider services)
    {
        var tracker = services.GetService<IErrorTracker>()
            ?? throw new InvalidOperationException(
                $"AddErrorTracking<{typeof(TService).Name}>() needs the tracker: call services.AddErrorTracker() as well.");

        // The container disposes what a factory returns, which is now the proxy: it disposes in turn what it built.
        var (target, owned) = original switch
        {
            { ImplementationInstance: { } instance } => (instance, false),
            { ImplementationFactory: { } factory } => (factory(services), true),
            { ImplementationType: { } type } => (ActivatorUtilities.CreateInstance(services, type), true),
            _ => throw new InvalidOperationException($"The registration of {typeof(TService).Name} has no implementation."),
        };

        return TrackingProxy<TService>.Create((TService)target, tracker, owned);
    }

    public static bool IsFactoryOf(ServiceDescriptor descriptor) => descriptor.ImplementationFactory?.Target is TrackingProxyFactory<TService>;
}
