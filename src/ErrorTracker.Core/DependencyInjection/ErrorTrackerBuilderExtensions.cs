using ErrorTracking.Configuration;
using ErrorTracking.Context;
using ErrorTracking.Masking;
using ErrorTracking.Notification;
using ErrorTracking.Security;
using ErrorTracking.Storage;
using ErrorTracking.Ticketing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The choices every application has, whatever packages it references.</summary>
public static class ErrorTrackerBuilderExtensions
{
    /// <summary>Sets the options, in addition to those given to <c>AddErrorTracker</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder Configure(this IErrorTrackerBuilder builder, Action<ErrorTrackerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Stores occurrences in <paramref name="store"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The store.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder UseStore(this IErrorTrackerBuilder builder, IErrorStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return builder.Configure(options => options.Store = store);
    }

    /// <summary>Stores occurrences in a <typeparamref name="TStore"/> built by the container.</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder UseStore<TStore>(this IErrorTrackerBuilder builder)
        where TStore : class, IErrorStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TStore>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IErrorStore>(provider => provider.GetRequiredService<TStore>()));
        return builder;
    }

    /// <summary>Replaces the key fragment rule with a custom masking rule built by the container.</summary>
    /// <typeparam name="TRule">The rule type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder UseMaskingRule<TRule>(this IErrorTrackerBuilder builder)
        where TRule : class, IMaskingRule
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IMaskingRule, TRule>());
        return builder;
    }

    /// <summary>Replaces the key fragment rule with <paramref name="rule"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="rule">The rule.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder UseMaskingRule(this IErrorTrackerBuilder builder, IMaskingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return builder.Configure(options => options.MaskingRule = rule);
    }

    /// <summary>Adds a context builder; every registered builder contributes, in registration order.</summary>
    /// <typeparam name="TBuilder">The context builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddContextBuilder<TBuilder>(this IErrorTrackerBuilder builder)
        where TBuilder : class, IContextBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IContextBuilder, TBuilder>());
        return builder;
    }

    /// <summary>Adds a notifier.</summary>
    /// <typeparam name="TNotifier">The notifier type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddNotifier<TNotifier>(this IErrorTrackerBuilder builder)
        where TNotifier : class, INotifier
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<INotifier, TNotifier>());
        return builder;
    }

    /// <summary>Adds a ticketing system.</summary>
    /// <typeparam name="TTicketing">The ticketing type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder AddTicketing<TTicketing>(this IErrorTrackerBuilder builder)
        where TTicketing : class, ITicketing
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ITicketing, TTicketing>());
        return builder;
    }

    /// <summary>Decides who may use the dashboard; the default refuses everyone.</summary>
    /// <typeparam name="TPermission">The permission type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder UseViewPermission<TPermission>(this IErrorTrackerBuilder builder)
        where TPermission : class, IViewPermission
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IViewPermission, TPermission>());
        return builder;
    }

    /// <summary>Decides who may use the dashboard with <paramref name="permission"/>, e.g. <c>new RolePermission("Admins")</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="permission">The permission.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder UseViewPermission(this IErrorTrackerBuilder builder, IViewPermission permission)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(permission);
        builder.Services.Replace(ServiceDescriptor.Singleton(permission));
        return builder;
    }
}
