using ErrorTracking.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ErrorTracking.Hosting.Configuration;

/// <summary>
/// The <c>ErrorTracker</c> configuration section the tracker was registered with, shared by every package: each
/// binds its own options (the dashboard's, the ASP.NET Core capture's, the SMTP notifier's) from the same keys, so
/// a setting keeps its key whichever package reads it.
/// </summary>
public static class ErrorTrackerSection
{
    /// <summary>
    /// Remembers <paramref name="section"/> as the tracker's configuration section; options bound with
    /// <see cref="BindErrorTrackerSection{TOptions}"/> read it. The first section given wins.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The <c>ErrorTracker</c> section.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddErrorTrackerSection(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.TryAddKeyedSingleton(ErrorTrackerOptions.SectionName, section);
        return services;
    }

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from the tracker's configuration section, when the tracker was
    /// registered with one (<c>AddErrorTracker(configuration)</c>); without one it leaves the options to code.
    /// </summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="options">The options builder.</param>
    /// <param name="bindLists">
    /// Sets the options' lists from the section with <see cref="TryReadList"/>, where the binder's own list rules
    /// would add to a default instead of replacing it.
    /// </param>
    /// <returns>The options builder.</returns>
    public static OptionsBuilder<TOptions> BindErrorTrackerSection<TOptions>(
        this OptionsBuilder<TOptions> options,
        Action<IConfiguration, TOptions>? bindLists = null)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Configure<IServiceProvider>((value, provider) =>
        {
            if (provider.GetKeyedService<IConfiguration>(ErrorTrackerOptions.SectionName) is { } section)
            {
                section.Bind(value);
                bindLists?.Invoke(section, value);
            }
        });
    }

    /// <summary>
    /// Reads the list under <paramref name="key"/>: its children, or a single comma-separated string (as
    /// upstream's recipient setting and an environment variable give it); an empty string is an empty list.
    /// </summary>
    /// <param name="section">The section.</param>
    /// <param name="key">The list's key.</param>
    /// <param name="values">The list's values, when the key is present.</param>
    /// <returns>Whether the key is present.</returns>
    public static bool TryReadList(IConfiguration section, string key, out IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(section);
        var list = section.GetSection(key);
        if (list.Value is null && !list.GetChildren().Any())
        {
            values = [];
            return false;
        }

        values = list.Value is { } single
            ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [.. list.GetChildren().Select(child => child.Value).OfType<string>()];
        return true;
    }
}
