using ErrorTracking;
using ErrorTracking.Configuration;
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

    private sealed class ErrorTrackerBuilder(IServiceCollection services) : IErrorTrackerBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
