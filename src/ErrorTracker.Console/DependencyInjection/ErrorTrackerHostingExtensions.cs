using ErrorTracking.Hosting;
using ErrorTracking.Hosting.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Ties the tracker into a generic host: its lifetime and its logging.</summary>
public static class ErrorTrackerHostingExtensions
{
    /// <summary>
    /// Builds the tracker when the host starts (the static facade then points at it), records a
    /// <see cref="BackgroundService"/> that faults with its type in the context, and stores what is pending when the
    /// host stops. <c>AddErrorTracker(IConfiguration)</c> does this already; call it after the other overload.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddHostLifetime(this IErrorTrackerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // First among hosted services, so the tracker exists before the others start.
        if (!builder.Services.Any(d => d.ImplementationType == typeof(ErrorTrackerHostedService)))
        {
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, ErrorTrackerHostedService>());
        }

        return builder;
    }

    /// <summary>
    /// Records log entries that carry an exception at <paramref name="minimumLevel"/> or above
    /// (<c>logger.LogError(ex, ...)</c>), with the message and its values as masked context.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="minimumLevel">The lowest level recorded. Default: <see cref="LogLevel.Error"/>.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddLogging(this IErrorTrackerBuilder builder, LogLevel minimumLevel = LogLevel.Error)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton(new ErrorTrackerLoggingSettings(minimumLevel)));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, ErrorTrackerLoggerProvider>());
        return builder;
    }
}
