using System.IO.Pipelines;
using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.AspNetCore;

/// <summary>
/// The arguments of an endpoint's handler worth showing when it fails, and how they reach the request's scope. The
/// request itself (its context, body, form and user, the cancellation token) is described by the request context
/// already, and services are the application's machinery rather than the input that made it fail: both are left out.
/// Uploaded files are shown by name, type and size, never their contents.
/// </summary>
internal sealed class EndpointArguments
{
    private static readonly Type[] RequestTypes =
    [
        typeof(HttpContext), typeof(HttpRequest), typeof(HttpResponse), typeof(CancellationToken), typeof(ClaimsPrincipal),
        typeof(Stream), typeof(PipeReader), typeof(IFormCollection),
    ];

    private readonly MethodInfo _method;
    private readonly (int Position, string Name)[] _shown;

    private EndpointArguments(MethodInfo method, (int Position, string Name)[] shown)
    {
        _method = method;
        _shown = shown;
    }

    /// <summary>The arguments of <paramref name="method"/> to show, or <see langword="null"/> when none is worth showing.</summary>
    public static EndpointArguments? For(MethodInfo method, IServiceProvider services)
    {
        var isService = services.GetService<IServiceProviderIsService>();
        (int Position, string Name)[] shown =
        [
            .. method.GetParameters()
                .Where(p => p.Name is not null && IsInput(p, isService))
                .Select(p => (p.Position, p.Name!)),
        ];
        return shown.Length == 0 ? null : new EndpointArguments(method, shown);
    }

    /// <summary>
    /// Hands the arguments, given in the order of the handler's parameters, to the request's scope for
    /// <paramref name="exception"/>. Returns <see langword="false"/>, to be called from an exception filter that never catches.
    /// </summary>
    public bool Attach(HttpContext context, Exception exception, IList<object?> byPosition) =>
        Attach(context, exception, _shown.Where(p => p.Position < byPosition.Count).Select(p => Shown(p.Name, byPosition[p.Position])));

    /// <summary>Hands the arguments, given by parameter name, to the request's scope for <paramref name="exception"/>.</summary>
    public void Attach(HttpContext context, Exception exception, IDictionary<string, object?> byName) =>
        Attach(context, exception, _shown.Where(p => byName.ContainsKey(p.Name)).Select(p => Shown(p.Name, byName[p.Name])));

    private bool Attach(HttpContext context, Exception exception, IEnumerable<KeyValuePair<string, object?>> arguments)
    {
        // The scope UseErrorTracker() opened for the request; without it nothing records the failure anyway.
        context.Features.Get<ErrorScope>()?.AddArguments(exception, _method, arguments);
        return false;
    }

    private static KeyValuePair<string, object?> Shown(string name, object? value) => new(name, value switch
    {
        IFormFile file => UploadedFile.Of(file),
        IEnumerable<IFormFile> files => files.Select(UploadedFile.Of).ToList(),
        _ => value,
    });

    private static bool IsInput(ParameterInfo parameter, IServiceProviderIsService? isService)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        if (Array.Exists(RequestTypes, t => t.IsAssignableFrom(type)))
        {
            return false;
        }

        var attributes = parameter.GetCustomAttributes(inherit: true);
        if (Array.Exists(attributes, a => a is IFromServiceMetadata or FromKeyedServicesAttribute))
        {
            return false;
        }

        // Bound from the request, by attribute or as files, even when the type is also registered as a service; the
        // container calls any IEnumerable<T> a service.
        if (Array.Exists(attributes, a => a is IFromBodyMetadata or IFromFormMetadata or IFromHeaderMetadata or IFromQueryMetadata or IFromRouteMetadata)
            || typeof(IFormFile).IsAssignableFrom(type) || typeof(IEnumerable<IFormFile>).IsAssignableFrom(type))
        {
            return true;
        }

        return isService?.IsService(type) != true;
    }
}
