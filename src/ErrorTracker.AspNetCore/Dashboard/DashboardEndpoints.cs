using System.Text.Json;
using System.Text.Json.Serialization;
using ErrorTracking.AspNetCore.Dashboard.Components;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's pages and its JSON API. Pages are Razor components rendered on the server, so every recorded
/// value is HTML-encoded; changing requests are POST or DELETE only and need a valid antiforgery token.
/// </summary>
internal sealed class DashboardEndpoints
{
    private const int ListChartDays = 14;
    private const int DetailChartDays = 30;
    private const int RecentOccurrences = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // An occurrence as deep as capture makes it (100 value levels, 32 inner exceptions) is about 380 levels of JSON.
        MaxDepth = 1024,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private const string ListEndpointName = "ErrorTracker.Dashboard.List";

    private readonly IAntiforgery _antiforgery;
    private readonly int _pageSize;
    private readonly TimeProvider _time;
    private readonly DashboardFallback _routes = new();

    private DashboardEndpoints(IAntiforgery antiforgery, int pageSize, TimeProvider time)
    {
        _antiforgery = antiforgery;
        _pageSize = pageSize;
        _time = time;
    }

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string prefix, int pageSize, TimeProvider time)
    {
        var dashboard = new DashboardEndpoints(DashboardAntiforgery.Resolve(endpoints.ServiceProvider), pageSize, time);
        var routes = dashboard._routes;
        var group = endpoints.MapGroup(prefix);
        group.AddEndpointFilter<DashboardGuard>();
        group.WithMetadata(new ExcludeFromDescriptionAttribute(), DashboardEndpointMetadata.Instance);

        const string Api = DashboardRoutes.ApiSegment;
        routes.Map(group, "GET", "/", dashboard.ListPageAsync).WithName(ListEndpointName);
        routes.Map(group, "GET", "/{hash}", dashboard.DetailPageAsync);
        routes.Map(group, "POST", "/{hash}/delete", (string hash, HttpContext http) => dashboard.ChangeFromFormAsync(hash, http, Change.Delete));
        routes.Map(group, "POST", "/{hash}/resolve", (string hash, HttpContext http) => dashboard.ChangeFromFormAsync(hash, http, Change.Resolve));
        routes.Map(group, "POST", "/{hash}/reopen", (string hash, HttpContext http) => dashboard.ChangeFromFormAsync(hash, http, Change.Reopen));
        routes.Map(group, "GET", "/_assets/{name}", DashboardAssets.Serve);

        routes.Map(group, "GET", Api + "/errors", dashboard.ApiListAsync);
        routes.Map(group, "GET", Api + "/errors/{hash}", dashboard.ApiDetailAsync);
        routes.Map(group, "DELETE", Api + "/errors/{hash}", (string hash, HttpContext http) => dashboard.ChangeFromApiAsync(hash, http, Change.Delete));
        routes.Map(group, "POST", Api + "/errors/{hash}/resolve", (string hash, HttpContext http) => dashboard.ChangeFromApiAsync(hash, http, Change.Resolve));
        routes.Map(group, "POST", Api + "/errors/{hash}/reopen", (string hash, HttpContext http) => dashboard.ChangeFromApiAsync(hash, http, Change.Reopen));
        routes.Map(group, "GET", Api + "/antiforgery", dashboard.ApiAntiforgery);
        if (prefix.Length > 0)
        {
            // At the root, the rest of the application's paths are its own, and so are its 404s.
            group.Map(DashboardFallback.Pattern, dashboard.ElsewhereAsync);
        }

        return group;
    }

    private enum Change
    {
        Delete,
        Resolve,
        Reopen,
    }

    private async Task<IResult> ListPageAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (!DashboardRoutes.TryParseQuery(http.Request.Query, _pageSize, out var query, out var error))
        {
            return await MessageAsync(http, StatusCodes.Status400BadRequest, "Bad filter", error!).ConfigureAwait(false);
        }

        var store = Store(http);
        var page = await store.ListAsync(query, cancellationToken).ConfigureAwait(false);
        var today = Today();
        var days = page.Items.Count == 0
            ? []
            : await store.CountByDayAsync([.. page.Items.Select(r => r.Hash)], today.AddDays(1 - ListChartDays), today, cancellationToken).ConfigureAwait(false);
        var tokens = _antiforgery.GetAndStoreTokens(http);
        return await RenderAsync<ListPage>(http, StatusCodes.Status200OK, new()
        {
            [nameof(ListPage.Prefix)] = Routes(http).Prefix,
            [nameof(ListPage.Query)] = query,
            [nameof(ListPage.Page)] = page,
            [nameof(ListPage.Days)] = days,
            [nameof(ListPage.Today)] = today,
            [nameof(ListPage.ChartDays)] = ListChartDays,
            [nameof(ListPage.DefaultPageSize)] = _pageSize,
            [nameof(ListPage.AntiforgeryField)] = tokens.FormFieldName,
            [nameof(ListPage.AntiforgeryToken)] = tokens.RequestToken,
        }).ConfigureAwait(false);
    }

    private async Task<IResult> DetailPageAsync(string hash, HttpContext http)
    {
        var store = Store(http);
        var detail = await store.GetAsync(hash, http.RequestAborted).ConfigureAwait(false);
        if (detail is null)
        {
            return await MessageAsync(http, StatusCodes.Status404NotFound, "Not found", "No recorded error has this id; it may have been deleted.")
                .ConfigureAwait(false);
        }

        var today = Today();
        var recent = await store.ListOccurrencesAsync(hash, RecentOccurrences, http.RequestAborted).ConfigureAwait(false);
        var days = await store.CountByDayAsync([hash], today.AddDays(1 - DetailChartDays), today, http.RequestAborted).ConfigureAwait(false);
        var tokens = _antiforgery.GetAndStoreTokens(http);
        return await RenderAsync<DetailPage>(http, StatusCodes.Status200OK, new()
        {
            [nameof(DetailPage.Prefix)] = Routes(http).Prefix,
            [nameof(DetailPage.Detail)] = detail,
            [nameof(DetailPage.Recent)] = recent,
            [nameof(DetailPage.Days)] = days,
            [nameof(DetailPage.Today)] = today,
            [nameof(DetailPage.ChartDays)] = DetailChartDays,
            [nameof(DetailPage.AntiforgeryField)] = tokens.FormFieldName,
            [nameof(DetailPage.AntiforgeryToken)] = tokens.RequestToken,
        }).ConfigureAwait(false);
    }

    private async Task<IResult> ChangeFromFormAsync(string hash, HttpContext http, Change change)
    {
        if (!await IsTokenValidAsync(http).ConfigureAwait(false))
        {
            return await MessageAsync(http, StatusCodes.Status400BadRequest, "Expired form",
                "The form's antiforgery token is missing or no longer valid: nothing was changed. Reload the page and try again.").ConfigureAwait(false);
        }

        if (!await ApplyAsync(hash, http, change).ConfigureAwait(false))
        {
            return await MessageAsync(http, StatusCodes.Status404NotFound, "Not found", "No recorded error has this id; it may have been deleted.")
                .ConfigureAwait(false);
        }

        // Post/redirect/get: a reload of the next page repeats nothing.
        var routes = Routes(http);
        return new SeeOther(change == Change.Delete ? routes.List : routes.Detail(hash));
    }

    private async Task<IResult> ChangeFromApiAsync(string hash, HttpContext http, Change change)
    {
        if (!await IsTokenValidAsync(http).ConfigureAwait(false))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: "A valid antiforgery token is required: send the cookie and the token from GET api/antiforgery in its header.");
        }

        return await ApplyAsync(hash, http, change).ConfigureAwait(false)
            ? Results.NoContent()
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No recorded error has this id.");
    }

    // Routing's own 404 and 405 would run no filter: answered here, they pass the guard and carry its headers.
    private async Task<IResult> ElsewhereAsync(string? rest, HttpContext http)
    {
        var methods = _routes.MethodsAt(rest);
        var api = DashboardRoutes.IsApi(http.Request.Path);
        if (methods.Count == 0)
        {
            return api
                ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "The dashboard has nothing at this address.")
                : await MessageAsync(http, StatusCodes.Status404NotFound, "Not found", "The dashboard has no page at this address.").ConfigureAwait(false);
        }

        var allowed = string.Join(", ", methods);
        http.Response.Headers.Allow = allowed;
        return api
            ? Results.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: $"This address answers {allowed} only.")
            : await MessageAsync(http, StatusCodes.Status405MethodNotAllowed, "Method not allowed", $"This address answers {allowed} only.").ConfigureAwait(false);
    }

    private async Task<IResult> ApiListAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (!DashboardRoutes.TryParseQuery(http.Request.Query, _pageSize, out var query, out var error))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: error);
        }

        return Results.Json(await Store(http).ListAsync(query, cancellationToken).ConfigureAwait(false), Json);
    }

    private async Task<IResult> ApiDetailAsync(string hash, HttpContext http) =>
        await Store(http).GetAsync(hash, http.RequestAborted).ConfigureAwait(false) is { } detail
            ? Results.Json(detail, Json)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No recorded error has this id.");

    private IResult ApiAntiforgery(HttpContext http)
    {
        var tokens = _antiforgery.GetAndStoreTokens(http);
        return Results.Json(new { tokens.HeaderName, tokens.FormFieldName, tokens.RequestToken }, Json);
    }

    private async Task<bool> IsTokenValidAsync(HttpContext http)
    {
        try
        {
            return await _antiforgery.IsRequestValidAsync(http).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is InvalidOperationException or IOException or InvalidDataException or AntiforgeryValidationException)
        {
            // A malformed form or body is refused like a missing token.
            return false;
        }
    }

    private static async Task<bool> ApplyAsync(string hash, HttpContext http, Change change)
    {
        var store = Store(http);
        return change switch
        {
            Change.Delete => await store.DeleteAsync(hash, http.RequestAborted).ConfigureAwait(false),
            Change.Resolve => await store.UpdateAsync(hash, new ErrorRecordUpdate { Status = ErrorStatus.Resolved }, http.RequestAborted).ConfigureAwait(false),
            _ => await store.UpdateAsync(hash, new ErrorRecordUpdate { Status = ErrorStatus.Unresolved }, http.RequestAborted).ConfigureAwait(false),
        };
    }

    private static Task<IResult> MessageAsync(HttpContext http, int status, string title, string message) =>
        RenderAsync<MessagePage>(http, status, new()
        {
            [nameof(MessagePage.Prefix)] = Routes(http).Prefix,
            [nameof(MessagePage.Title)] = title,
            [nameof(MessagePage.Message)] = message,
        });

    private static async Task<IResult> RenderAsync<TComponent>(HttpContext http, int status, Dictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        var services = http.RequestServices;
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters)).ConfigureAwait(false);
            return output.ToHtmlString();
        }).ConfigureAwait(false);
        return Results.Content("<!DOCTYPE html>\n" + html, "text/html; charset=utf-8", statusCode: status);
    }

    private static DashboardRoutes Routes(HttpContext http) =>
        DashboardRoutes.For(http, http.RequestServices.GetRequiredService<LinkGenerator>(), ListEndpointName);

    private DateOnly Today() => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    private static IErrorStore Store(HttpContext http) => http.RequestServices.GetRequiredService<IErrorStore>();

    /// <summary>A 303: the browser follows with a GET, whatever the form's method was.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
