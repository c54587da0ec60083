using ErrorTracking;
using ErrorTracking.Configuration;
using ErrorTracking.Decorators;
using ErrorTracking.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the tracker in a service collection.</summary>
public static class ErrorTrackerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IErrorTracker"/> as a singleton that the static <see cref="ErrorTracker"/> facade also
    /// forwards to. Safe to call more than once; every <paramref name="configure"/> given is applied. The options
    /// are validated at start (or when the tracker is first resolved, without a host).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to choose storage, masking, context, notification and ticketing.</returns>
    public static IErrorTrackerBuilder AddErrorTracker(this IServiceCollection services, Action<ErrorTrackerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ErrorTrackerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ErrorTrackerOptions>, ErrorTrackerOptionsValidator>());
        services.TryAddSingleton(provider =>
        {
            var tracker = ErrorTrackerEngine.Create(provider.GetRequiredService<IOptions<ErrorTrackerOptions>>().Value, provider);
            ErrorTracker.Attach(tracker);
            return tracker;
        });
        services.TryAddSingleton<IErrorTracker>(provider => provider.GetRequiredService<ErrorTrackerEngine>());
        services.TryAddSingleton<IErrorStore>(provider =>
            provider.GetRequiredService<IOptions<ErrorTrackerOptions>>().Value.Store ?? new InMemoryErrorStore());
        return new ErrorTrackerBuilder(services);
    }

    /// <summary>
    /// Puts a tracking proxy in front of every registration of the interface <typeparamref name="TService"/> made so
    /// far: a call that fails is recorded with its arguments and the implementation's fields, under the
    /// implementation's frame, then the exception continues to the caller unchanged. Unlike
    /// <see cref="TrackExceptionsAttribute"/> it covers calls from anywhere (other assemblies, reflection), at the price
    /// of a reflection call on every call. Keyed registrations are left alone; calling it twice wraps once.
    /// </summary>
    /// <typeparam name="TService">The service interface.</typeparam>
    /// <param name="services">The service collection, with <typeparamref name="TService"/> registered and <see cref="AddErrorTracker"/> called.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TService"/> is not an interface.</exception>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> is not registered yet.</exception>
    public static IServiceCollection AddErrorTracking<TService>(this IServiceCollection services)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!typeof(TService).IsInterface)
        {
            throw new ArgumentException(
                $"{typeof(TService).Name} is not an interface: a tracking proxy can only stand in for an interface. Mark the class or its methods [TrackExceptions] instead.",
                nameof(TService));
        }

        var found = false;
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(TService) && !descriptor.IsKeyedService)
            {
                found = true;
                if (!TrackingProxyFactory<TService>.IsFactoryOf(descriptor))
                {
                    services[i] = new TrackingProxyFactory<TService>(descriptor).Describe();
                }
            }
        }

        if (!found)
        {
            throw new InvalidOperationException(
                $"No {typeof(TService).Name} is registered: register it before calling AddErrorTracking<{typeof(TService).Name}>().");
        }

        return services;
    }

    private sealed class ErrorTrackerBuilder(IServiceCollection services) : IErrorTrackerBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
