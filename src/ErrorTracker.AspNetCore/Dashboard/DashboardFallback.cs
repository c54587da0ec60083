using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace ErrorTracking.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's routes as it maps them, so that its catch-all below the prefix can tell a path the dashboard
/// answers under other methods (405, with Allow) from one it does not have (404). Routing's own 404 and 405 answers
/// run no endpoint filter and so would lack the security headers every dashboard answer carries.
/// </summary>
internal sealed class DashboardFallback
{
    /// <summary>The catch-all's pattern below the prefix; its parameter is the rest of the path.</summary>
    public const string Pattern = "/{**rest}";

    private readonly List<(TemplateMatcher Matcher, string Method)> _routes = [];

    /// <summary>Maps one route of the dashboard for one method, and remembers it.</summary>
    public RouteHandlerBuilder Map(IEndpointRouteBuilder group, string method, string pattern, Delegate handler)
    {
        _routes.Add((new TemplateMatcher(TemplateParser.Parse(pattern.TrimStart('/')), []), method));
        return group.MapMethods(pattern, [method], handler);
    }

    /// <summary>The methods the dashboard answers at a path below its prefix; none when it has no such path.</summary>
    public IReadOnlyList<string> MethodsAt(string? rest)
    {
        var path = new PathString("/" + rest);
        return [.. _routes.Where(route => route.Matcher.TryMatch(path, [])).Select(route => route.Method).Distinct(StringComparer.Ordinal)];
    }
}
