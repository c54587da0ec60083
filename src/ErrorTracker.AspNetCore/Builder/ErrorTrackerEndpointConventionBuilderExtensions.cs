using ErrorTracking.AspNetCore;
using Microsoft.AspNetCore.Http;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Shows the arguments of failing minimal API endpoints.</summary>
public static class ErrorTrackerEndpointConventionBuilderExtensions
{
    /// <summary>
    /// When the handler of an endpoint throws, the failure <c>UseErrorTracker()</c> records carries the handler's
    /// arguments by parameter name, rendered and masked like any variable (a <c>password</c> parameter, or a member
    /// named like a secret inside an argument, shows as masked) and shown under the handler's frame as arguments.
    /// ASP.NET Core has no global endpoint filter, so this applies to one endpoint or to a group:
    /// <c>app.MapGroup("").CaptureArguments()</c> covers every endpoint mapped on that group. Controllers need no
    /// call: <c>UseErrorTracker()</c> shows their actions' arguments.
    /// </summary>
    /// <remarks>
    /// Left out: the request itself (<see cref="HttpContext"/>, the request and response, the body as a stream, the
    /// form, the user, the cancellation token), which the request context describes, and services (parameters marked
    /// <c>[FromServices]</c> or <c>[FromKeyedServices]</c>, or of a type registered in the container). Uploaded files are
    /// shown by field, file name, content type and size. A call that succeeds renders nothing: the filter only passes
    /// its result on, awaiting it when the handler completes asynchronously.
    /// </remarks>
    /// <typeparam name="TBuilder">The endpoint or group builder.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TBuilder CaptureArguments<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddEndpointFilterFactory(EndpointArgumentsFilter.Create);
    }
}
