using ErrorTracking.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds error tracking to the request pipeline.</summary>
public static class ErrorTrackerApplicationBuilderExtensions
{
    /// <summary>
    /// Records unhandled exceptions (re-thrown, so the application's own error handling still runs), exceptions an
    /// exception handler handled, 5xx responses and, with <c>TrackAllExceptions</c>, 4xx responses; every recording
    /// made during a request carries the request's context. Place it after <c>UseExceptionHandler</c> or
    /// <c>UseDeveloperExceptionPage</c>, early in the pipeline. When MVC is in use, a failing controller action's
    /// arguments are shown under its frame, masked; for minimal API endpoints, see <c>CaptureArguments()</c>.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    /// <exception cref="InvalidOperationException"><c>AddErrorTracker</c> was not called on the services.</exception>
    public static IApplicationBuilder UseErrorTracker(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<ErrorTracking.IErrorTracker>() is null)
        {
            throw new InvalidOperationException(
                "UseErrorTracker() needs the tracker's services: call builder.Services.AddErrorTracker(...) first.");
        }

        AddActionArgumentsFilter(app.ApplicationServices);
        return app.UseMiddleware<ErrorTrackerMiddleware>();
    }

    // MVC copies its global filters into its actions when it first builds them, at the first request, after the
    // container exists: the filter can be added here, so controllers need no call of their own.
    private static void AddActionArgumentsFilter(IServiceProvider services)
    {
        if (services.GetService<ApplicationPartManager>() is null)
        {
            return;
        }

        var filters = services.GetRequiredService<IOptions<MvcOptions>>().Value.Filters;
        if (!filters.OfType<ActionArgumentsFilter>().Any())
        {
            filters.Add(new ActionArgumentsFilter());
        }
    }
}
