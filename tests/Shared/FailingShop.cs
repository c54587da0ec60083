using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ErrorTracking.Testing.Web;

/// <summary>
/// The application of the web reliability tests: its own exception handler, the tracker, and three routes, one that
/// succeeds, one that fails and one that records a failure it handles. Linked into each test project that starts it.
/// </summary>
public static class FailingShop
{
    /// <summary>What the application's own exception handler answers.</summary>
    public const string Handled = "handled by the application";

    /// <summary>Adds the exception handler, <c>UseErrorTracker</c> and the routes.</summary>
    /// <param name="app">The application.</param>
    public static void Map(WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(context => context.Response.WriteAsync(Handled)));
        app.UseErrorTracker();
        app.MapGet("/ok", () => "fine");
        app.MapGet("/fails/{kind}", string (string kind) => throw new InvalidOperationException($"checkout failed: {kind}"));
        app.MapGet("/records/{kind}", (string kind, IErrorTracker tracker) =>
        {
            try
            {
                throw new TimeoutException($"payment provider slow: {kind}");
            }
            catch (TimeoutException exception)
            {
                tracker.RecordException(exception);
                return Results.Ok("recorded and carried on");
            }
        });
    }
}
