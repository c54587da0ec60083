using ErrorTracking.AspNetCore.Dashboard;
using ErrorTracking.Configuration;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the error dashboard and its JSON API.</summary>
public static class ErrorTrackerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard (list and detail pages) and the JSON API (<c>api/errors</c>) under
    /// <c>ErrorTracker:UrlPrefix</c> (default <c>/dev/error</c>). They are closed to everyone until the application
    /// says who may see them: a view permission (<c>UseViewPermission</c>) or an authorization policy on the returned
    /// builder (<c>.RequireAuthorization("Admins")</c>). Deleting and resolving need POST or DELETE with an antiforgery
    /// token; the application's own antiforgery settings apply when it registered them.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <returns>A builder for conventions on every dashboard and API endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>AddErrorTracker</c> was not called on the services.</exception>
    public static IEndpointConventionBuilder MapErrorTracker(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<ErrorTracking.Storage.IErrorStore>() is null)
        {
            throw new InvalidOperationException(
                "MapErrorTracker() needs the tracker's services: call builder.Services.AddErrorTracker(...) first.");
        }

        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<ErrorTrackerOptions>>().Value;
        return DashboardEndpoints.Map(endpoints, DashboardRoutes.PrefixOf(options), options.PageSize, options.TimeProvider ?? TimeProvider.System);
    }
}
