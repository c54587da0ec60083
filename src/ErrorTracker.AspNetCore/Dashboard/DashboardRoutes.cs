using System.Globalization;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ErrorTracking.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's addresses and the list filters they carry, in one place for the pages, the API and the redirects.
/// Every link, form action, asset address and redirect is built here, from a prefix that is a clean local path.
/// </summary>
internal sealed record DashboardRoutes
{
    public const string ApiSegment = "/api";

    /// <summary>The routes below a prefix that must be a clean local path (see <see cref="IsLocalPath"/>).</summary>
    /// <param name="prefix">The dashboard's path prefix, without a trailing slash.</param>
    public DashboardRoutes(string prefix) =>
        Prefix = IsLocalPath(prefix) ? prefix : throw new ArgumentException("The dashboard's prefix must be a local path.", nameof(prefix));

    /// <summary>The dashboard's path prefix, without a trailing slash.</summary>
    public string Prefix { get; }

    /// <summary>
    /// Where the dashboard is for this request: below the path base and any group it was mapped on, which the
    /// configured prefix alone does not say. A path base that is not a clean local path (one a proxy's
    /// X-Forwarded-Prefix set to <c>//evil.example</c>, say) is left out, so no address leaves the dashboard's origin.
    /// </summary>
    public static DashboardRoutes For(HttpContext http, LinkGenerator links, string listEndpointName)
    {
        var pathBase = IsLocalPath(http.Request.PathBase.Value) ? http.Request.PathBase : PathString.Empty;
        var list = links.GetPathByName(http, listEndpointName, values: null, pathBase)
            ?? throw new InvalidOperationException("The dashboard's list endpoint is not mapped.");
        return new DashboardRoutes(list.TrimEnd('/'));
    }

    /// <summary>
    /// Whether a path is empty or a clean absolute local path: it starts with one slash, has no empty, "." or ".."
    /// segment, and holds only letters, digits and the path characters of RFC 3986 other than ':' (so no scheme,
    /// no "//" or "/\" a browser would read as another host, no backslash, control or invisible character).
    /// </summary>
    public static bool IsLocalPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return true;
        }

        if (path[0] != '/')
        {
            return false;
        }

        foreach (var segment in path[1..].Split('/'))
        {
            if (segment is "" or "." or ".." || !segment.All(c => char.IsLetterOrDigit(c) || "-._~!$&'()*+,;=@%".Contains(c)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The configured prefix as routes and path checks need it: no trailing slash ("/ops/errors/" and
    /// "/ops/errors" are one prefix), and the empty string for a dashboard at the root.
    /// </summary>
    public static string PrefixOf(ErrorTracking.Configuration.ErrorTrackerOptions options) => options.UrlPrefix.TrimEnd('/');

    public string List => Prefix + "/";

    public string Detail(string hash) => $"{Prefix}/{Uri.EscapeDataString(hash)}";

    public string Action(string hash, string action) => $"{Detail(hash)}/{action}";

    public string Asset(string name) => $"{Prefix}/_assets/{name}";

    public static bool IsApi(PathString path) => path.Value?.Contains(ApiSegment + "/", StringComparison.Ordinal) == true;

    /// <summary>The list's address for a query, keeping only the filters that are set, and the page size when it is not the default.</summary>
    public string ListPage(ErrorQuery query, int page, int defaultPageSize)
    {
        var parameters = new List<KeyValuePair<string, string?>>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parameters.Add(new(name, value));
            }
        }

        Add("host", query.Host);
        Add("method", query.Method);
        Add("path", query.Path);
        Add("exception", query.ExceptionName);
        Add("status", query.Status?.ToString().ToLowerInvariant());
        Add("q", query.Search);
        if (query.PageSize != defaultPageSize)
        {
            Add("pageSize", query.PageSize.ToString(CultureInfo.InvariantCulture));
        }

        if (page != 1)
        {
            Add("page", page.ToString(CultureInfo.InvariantCulture));
        }

        return List + QueryString.Create(parameters).ToUriComponent();
    }

    /// <summary>Reads the list filters from a query string, or says what is wrong with it.</summary>
    public static bool TryParseQuery(IQueryCollection values, int pageSize, out ErrorQuery query, out string? error)
    {
        query = new ErrorQuery { PageSize = pageSize };
        error = null;
        var page = 1;
        if (values.TryGetValue("page", out var pageText) && !string.IsNullOrEmpty(pageText)
            && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            error = "'page' must be a whole number of at least 1.";
            return false;
        }

        if (values.TryGetValue("pageSize", out var sizeText) && !string.IsNullOrEmpty(sizeText))
        {
            if (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 500)
            {
                error = "'pageSize' must be a whole number from 1 to 500.";
                return false;
            }
        }

        ErrorStatus? status = null;
        if (values.TryGetValue("status", out var statusText) && !string.IsNullOrEmpty(statusText))
        {
            // One value, spelled out: Enum.TryParse would also take "0", or "unresolved,resolved" as flags.
            status = statusText.Count == 1 ? statusText.ToString().ToLowerInvariant() switch
            {
                "unresolved" => ErrorStatus.Unresolved,
                "resolved" => ErrorStatus.Resolved,
                _ => null,
            } : null;
            if (status is null)
            {
                error = "'status' must be 'unresolved' or 'resolved'.";
                return false;
            }
        }

        query = new ErrorQuery
        {
            Page = page,
            PageSize = pageSize,
            Host = Text(values, "host"),
            Method = Text(values, "method"),
            Path = Text(values, "path"),
            ExceptionName = Text(values, "exception"),
            Status = status,
            Search = Text(values, "q"),
        };
        return true;
    }

    private static string? Text(IQueryCollection values, string name) =>
        values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.ToString().Trim() : null;
}
