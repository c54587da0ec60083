using ErrorTracking.AspNetCore;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds error tracking to the request pipeline.</summary>
public static class ErrorTrackerApplicationBuilderExtensions
{
    /// <summary>
    /// Records unhandled exceptions (re-thrown, so the application's own error handling still runs), exceptions an
    /// exception handler handled, 5xx responses and, with <c>TrackAllExceptions</c>, 4xx responses; every recording
    /// made during a request carries the request's context. Place it after <c>UseExceptionHandler</c> or
    /// <c>UseDeveloperExceptionPage</c>, early in the pipeline.
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

        return app.UseMiddleware<ErrorTrackerMiddleware>();
    }
}
