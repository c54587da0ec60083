using ErrorTracking.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.AspNetCore.Dashboard;

/// <summary>
/// Runs first on every dashboard and API endpoint: sends the security headers, then asks the application's
/// <see cref="IViewPermission"/>. Without one, only an authorization policy put on the endpoints
/// (<c>MapErrorTracker().RequireAuthorization(...)</c>, already enforced by the authorization middleware) opens
/// them; with neither, everyone is refused.
/// </summary>
internal sealed class DashboardGuard : IEndpointFilter
{
    // Everything recorded is attacker-controlled: no inline script or style may run, nothing may frame the page,
    // and neither the page nor where it links may leak its address or be cached.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // As antiforgery wants them, so it does not override them (and log that it did) on every page.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";

        if (await IsAllowedAsync(http).ConfigureAwait(false))
        {
            return await next(context).ConfigureAwait(false);
        }

        var signedIn = http.User.Identity?.IsAuthenticated == true;
        if (await HasDefaultSchemeAsync(http).ConfigureAwait(false))
        {
            // Let the application's authentication answer: a sign-in redirect for cookies, a 401 for bearer tokens.
            return signedIn ? Results.Forbid() : Results.Challenge();
        }

        var status = signedIn ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
        var reason = signedIn
            ? "This user may not see recorded errors."
            : "Recorded errors are closed to anonymous requests: sign in, or configure who may see them (UseViewPermission).";
        return DashboardRoutes.IsApi(http.Request.Path)
            ? Results.Problem(statusCode: status, title: reason)
            : Results.Text(reason, "text/plain; charset=utf-8", statusCode: status);
    }

    private static async Task<bool> IsAllowedAsync(HttpContext http)
    {
        if (http.RequestServices.GetService<IViewPermission>() is { } permission)
        {
            var viewer = new ViewerContext(http.User, http.Connection.RemoteIpAddress, http.RequestServices) { Host = http.Request.Host.Host };
            return await permission.IsAllowedAsync(viewer, http.RequestAborted).ConfigureAwait(false);
        }

        // The authorization middleware has already enforced the endpoints' policy when it got this far.
        return http.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is not null;
    }

    private static async Task<bool> HasDefaultSchemeAsync(HttpContext http) =>
        http.RequestServices.GetService<IAuthenticationSchemeProvider>() is { } schemes
        && await schemes.GetDefaultChallengeSchemeAsync().ConfigureAwait(false) is not null;
}
