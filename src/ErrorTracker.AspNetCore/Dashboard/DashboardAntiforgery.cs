using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.AspNetCore.Dashboard;

/// <summary>
/// Finds the antiforgery service that protects the dashboard's changing requests: the application's own when it
/// registered one (<c>AddAntiforgery</c>, <c>AddRazorComponents</c>, <c>AddControllersWithViews</c>...), so its
/// settings and keys apply; otherwise a private one, so that mapping the dashboard needs no other registration.
/// The private one uses the application's data protection keys when there are any, else keys that live as long as
/// the process (a token from before a restart is refused and the page must be reloaded).
/// </summary>
internal static class DashboardAntiforgery
{
    public static IAntiforgery Resolve(IServiceProvider applicationServices)
    {
        if (applicationServices.GetService<IAntiforgery>() is { } antiforgery)
        {
            return antiforgery;
        }

        var services = new ServiceCollection();
        services.AddSingleton(applicationServices.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(applicationServices.GetService<IDataProtectionProvider>() ?? new EphemeralDataProtectionProvider());
        services.AddAntiforgery(options =>
        {
            // No cookie path: the dashboard may sit below a path base or a route group the prefix does not show.
            options.Cookie.Name = ".ErrorTracker.Antiforgery";
            // Antiforgery's default never marks the cookie Secure; over HTTPS it must not also travel over HTTP.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // The dashboard sends X-Frame-Options: DENY itself.
            options.SuppressXFrameOptionsHeader = true;
        });
        return services.BuildServiceProvider().GetRequiredService<IAntiforgery>();
    }
}
