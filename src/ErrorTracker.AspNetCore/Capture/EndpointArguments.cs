using System.IO.Pipelines;
using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
    private readonly Shown[] _shown;
    private readonly string _mask;

    private EndpointArguments(MethodInfo method, Shown[] shown, string mask)
    {
        _method = method;
        _shown = shown;
        _mask = mask;
    }

    /// <summary>
    /// A parameter worth showing. <paramref name="Label"/> names the request value it was bound from when that name
    /// differs (<c>p (query password)</c>), so the masking rule sees the name the client sent;
    /// <paramref name="AlwaysMasked"/> marks a credential header or antiforgery field, masked whatever the rule says.
    /// </summary>
    private sealed record Shown(int Position, string Name, string Label, bool AlwaysMasked);

    /// <summary>The arguments of <paramref name="method"/> to show, or <see langword="null"/> when none is worth showing.</summary>
    public static EndpointArguments? For(MethodInfo method, IServiceProvider services)
    {
        var isService = services.GetService<IServiceProviderIsService>();
        var credentials = new CredentialNames(services.GetService<IOptions<AntiforgeryOptions>>()?.Value ?? new AntiforgeryOptions());
        Shown[] shown =
        [
            .. method.GetParameters()
                .Where(p => p.Name is not null && IsInput(p, isService))
                .Select(p => Describe(p, credentials)),
        ];
        var mask = services.GetService<IOptions<ErrorTracking.Configuration.ErrorTrackerOptions>>()?.Value.MaskWith
            ?? ErrorTracking.Configuration.ErrorTrackerOptions.DefaultMask;
        return shown.Length == 0 ? null : new EndpointArguments(method, shown, mask);
    }

    private static Shown Describe(ParameterInfo parameter, CredentialNames credentials)
    {
        var name = parameter.Name!;
        var attributes = parameter.GetCustomAttributes(inherit: true);
        var (source, bound) = attributes switch
        {
            _ when attributes.OfType<IFromHeaderMetadata>().FirstOrDefault() is { Name: { } header } => ("header", header),
            _ when attributes.OfType<IFromQueryMetadata>().FirstOrDefault() is { Name: { } query } => ("query", query),
            _ when attributes.OfType<IFromFormMetadata>().FirstOrDefault() is { Name: { } field } => ("form", field),
            _ when attributes.OfType<IFromRouteMetadata>().FirstOrDefault() is { Name: { } route } => ("route", route),
            _ => ("", name),
        };
        var label = string.Equals(bound, name, StringComparison.OrdinalIgnoreCase) ? name : $"{name} ({source} {bound})";
        var alwaysMasked = (source == "header" && credentials.IsHeader(bound)) || (source == "form" && credentials.IsFormField(bound));
        return new Shown(parameter.Position, name, label, alwaysMasked);
    }

    /// <summary>
    /// Hands the arguments, given in the order of the handler's parameters, to the request's scope for
    /// <paramref name="exception"/>. Returns <see langword="false"/>, to be called from an exception filter that never catches.
    /// </summary>
    public bool Attach(HttpContext context, Exception exception, IList<object?> byPosition) =>
        Attach(context, exception, _shown.Where(p => p.Position < byPosition.Count).Select(p => Value(p, byPosition[p.Position])));

    /// <summary>Hands the arguments, given by parameter name, to the request's scope for <paramref name="exception"/>.</summary>
    public void Attach(HttpContext context, Exception exception, IDictionary<string, object?> byName) =>
        Attach(context, exception, _shown.Where(p => byName.ContainsKey(p.Name)).Select(p => Value(p, byName[p.Name])));

    private bool Attach(HttpContext context, Exception exception, IEnumerable<KeyValuePair<string, object?>> arguments)
    {
        // The scope UseErrorTracker() opened for the request; without it nothing records the failure anyway.
        context.Features.Get<ErrorScope>()?.AddArguments(exception, _method, arguments);
        return false;
    }

    private KeyValuePair<string, object?> Value(Shown shown, object? value) => new(shown.Label, value switch
    {
        _ when shown.AlwaysMasked && value is not null => _mask,
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
