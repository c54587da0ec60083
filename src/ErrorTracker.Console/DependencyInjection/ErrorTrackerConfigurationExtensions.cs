using ErrorTracking.Configuration;
using ErrorTracking.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the tracker with its options bound from configuration (appsettings.json, environment variables...).</summary>
public static class ErrorTrackerConfigurationExtensions
{
    private static readonly string[] ListKeys =
    [
        nameof(ErrorTrackerOptions.MaskedKeyHas),
        nameof(ErrorTrackerOptions.AdditionalMaskedKeys),
        nameof(ErrorTrackerOptions.MaskedValuePatterns),
        nameof(ErrorTrackerOptions.RecipientEmails),
        nameof(ErrorTrackerOptions.InAppExclude),
        nameof(ErrorTrackerOptions.InAppInclude),
        nameof(ErrorTrackerOptions.TrackedStatusCodes),
    ];

    /// <summary>
    /// Registers <c>IErrorTracker</c>, tied to the host's lifetime, with its options bound from <paramref name="configuration"/>: pass the
    /// <c>ErrorTracker</c> section, or a configuration root that has one. A list given in configuration replaces
    /// the default list rather than adding to it, and an empty string empties it (<c>"MaskedKeyHas": ""</c>
    /// turns masking by name off, as upstream's empty tuple does); a single string counts as a list of one, as
    /// upstream's recipient setting does.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>ErrorTracker</c> section, or a root that contains it.</param>
    /// <returns>A builder to choose storage, masking, context, notification and ticketing.</returns>
    public static IErrorTrackerBuilder AddErrorTracker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var nested = configuration.GetSection(ErrorTrackerOptions.SectionName);
        var section = nested.Exists() ? nested : configuration;
        services.AddErrorTrackerSection(section);
        return services.AddErrorTracker(options => Bind(section, options)).AddHostLifetime();
    }

    private static void Bind(IConfiguration section, ErrorTrackerOptions options)
    {
        section.Bind(options);
        foreach (var key in ListKeys)
        {
            if (!ErrorTrackerSection.TryReadList(section, key, out var values))
            {
                continue;
            }

            if (key == nameof(ErrorTrackerOptions.TrackedStatusCodes))
            {
                options.TrackedStatusCodes = [.. values.Select(v => int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var status)
                    ? status
                    : throw new InvalidOperationException($"{ErrorTrackerOptions.SectionName}:{key} must list HTTP status codes; '{v}' is not a number."))];
                continue;
            }

            var target = key switch
            {
                nameof(ErrorTrackerOptions.MaskedKeyHas) => options.MaskedKeyHas = [],
                nameof(ErrorTrackerOptions.AdditionalMaskedKeys) => options.AdditionalMaskedKeys = [],
                nameof(ErrorTrackerOptions.MaskedValuePatterns) => options.MaskedValuePatterns = [],
                nameof(ErrorTrackerOptions.RecipientEmails) => options.RecipientEmails = [],
                nameof(ErrorTrackerOptions.InAppExclude) => options.InAppExclude = [],
                _ => options.InAppInclude = [],
            };
            foreach (var value in values)
            {
                target.Add(value);
            }
        }
    }
}
