using System.Reflection;
using ErrorTracking.Http;
using ErrorTracking.Http.Configuration;
using ErrorTracking.Http.Delivery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the HTTP integrations on the builder from <c>AddErrorTracker</c>: <c>.AddWebhookNotifier(...)</c>,
/// <c>.AddGitHubTicketing(...)</c> and <c>.AddWebhookTicketing(...)</c>. Each takes its options from a configuration
/// section or a delegate (both may be given, in calls of their own), validates them at start, and registers its
/// named <see cref="HttpClient"/> with the configured timeout and with request logging that writes neither
/// addresses' paths nor headers.
/// </summary>
public static class HttpIntegrationBuilderExtensions
{
    private const int MaxAnswerBytes = 1024 * 1024;

    private static readonly string UserAgent =
        $"ErrorTracker.Http/{typeof(WebhookNotifier).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0"}";

    /// <summary>Posts notifications to a webhook, with options from <paramref name="configuration"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The <c>ErrorTracker:Webhook</c> section, the <c>ErrorTracker</c> section, or a root holding them.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddWebhookNotifier(this IErrorTrackerBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddWebhookNotifier(options => Section(configuration, WebhookNotifierOptions.SectionName).Bind(options));
    }

    /// <summary>Posts notifications to a webhook: <c>.AddWebhookNotifier(o =&gt; o.Url = new("https://..."))</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddWebhookNotifier(this IErrorTrackerBuilder builder, Action<WebhookNotifierOptions> configure)
    {
        AddIntegration<WebhookNotifierOptions, WebhookNotifierOptionsValidator>(builder, configure, WebhookNotifier.HttpClientName, o => o.Timeout);
        return builder.AddNotifier<WebhookNotifier>();
    }

    /// <summary>Opens and comments on GitHub issues, with options from <paramref name="configuration"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The <c>ErrorTracker:GitHub</c> section, the <c>ErrorTracker</c> section, or a root holding them.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddGitHubTicketing(this IErrorTrackerBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddGitHubTicketing(options =>
        {
            var section = Section(configuration, GitHubTicketingOptions.SectionName);
            section.Bind(options);

            // "bug,production" in an environment variable is a list of two, as lists are elsewhere in the options.
            if (section[nameof(GitHubTicketingOptions.Labels)] is { } labels)
            {
                options.Labels = [.. labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            }
        });
    }

    /// <summary>Opens and comments on GitHub issues: <c>.AddGitHubTicketing(o =&gt; { o.Owner = "me"; o.Repository = "shop"; o.Token = ...; })</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddGitHubTicketing(this IErrorTrackerBuilder builder, Action<GitHubTicketingOptions> configure)
    {
        AddIntegration<GitHubTicketingOptions, GitHubTicketingOptionsValidator>(builder, configure, GitHubIssuesTicketing.HttpClientName, o => o.Timeout);
        return builder.AddTicketing<GitHubIssuesTicketing>();
    }

    /// <summary>Creates and updates tickets through a JSON webhook, with options from <paramref name="configuration"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The <c>ErrorTracker:WebhookTicketing</c> section, the <c>ErrorTracker</c> section, or a root holding them.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddWebhookTicketing(this IErrorTrackerBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddWebhookTicketing(options => Section(configuration, WebhookTicketingOptions.SectionName).Bind(options));
    }

    /// <summary>Creates and updates tickets through a JSON webhook.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddWebhookTicketing(this IErrorTrackerBuilder builder, Action<WebhookTicketingOptions> configure)
    {
        AddIntegration<WebhookTicketingOptions, WebhookTicketingOptionsValidator>(builder, configure, WebhookTicketing.HttpClientName, o => o.Timeout);
        return builder.AddTicketing<WebhookTicketing>();
    }

    private static void AddIntegration<TOptions, TValidator>(
        IErrorTrackerBuilder builder,
        Action<TOptions> configure,
        string clientName,
        Func<TOptions, TimeSpan> timeout)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<TOptions>().Configure(configure).ValidateOnStart();

        // A second call adds to the options only: the client, its logger and the validator are registered once.
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationType == typeof(TValidator)))
        {
            return;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.AddHttpClient(clientName, (provider, client) =>
            {
                client.Timeout = timeout(provider.GetRequiredService<IOptions<TOptions>>().Value);
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);

                // Answers are read whole; the ones these services give are a few kilobytes, so a misbehaving
                // endpoint cannot make the tracker buffer the default 2 GB.
                client.MaxResponseContentBufferSize = MaxAnswerBytes;
            })
            .RemoveAllLoggers()
            .AddLogger(provider => new RedactingHttpLogger(
                (provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(RedactingHttpLogger.Category),
                clientName));
    }

    /// <summary>The integration's section: <paramref name="configuration"/> may be a root, the ErrorTracker section, or the section itself.</summary>
    private static IConfiguration Section(IConfiguration configuration, string sectionName)
    {
        var full = configuration.GetSection(sectionName);
        if (full.Exists())
        {
            return full;
        }

        var local = configuration.GetSection(sectionName[(sectionName.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        return local.Exists() ? local : configuration;
    }
}
