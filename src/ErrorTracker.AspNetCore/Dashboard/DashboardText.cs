using System.Globalization;
using ErrorTracking.Records;
using ErrorTracking.Rendering;

namespace ErrorTracking.AspNetCore.Dashboard;

/// <summary>How the pages write times, names and long text, so every page writes them alike.</summary>
internal static class DashboardText
{
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Display(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The type's own name without its namespace: <c>InvalidOperationException</c>.</summary>
    public static string ShortName(string typeName)
    {
        var generic = typeName.IndexOf('`', StringComparison.Ordinal);
        var end = generic < 0 ? typeName.Length : generic;
        var dot = typeName.LastIndexOf('.', end - 1 < 0 ? 0 : end - 1);
        return dot < 0 ? typeName : typeName[(dot + 1)..];
    }

    /// <summary>Recorded text cut to a length, escaped first so that the cut cannot hide a reordering character.</summary>
    public static string Shorten(string text, int length)
    {
        var shown = VisibleText.Escape(text);
        return shown.Length <= length ? shown : string.Concat(shown.AsSpan(0, length - 1), "…");
    }

    public static string Status(ErrorStatus status) => status == ErrorStatus.Resolved ? "resolved" : "unresolved";

    /// <summary>What a group is called: its method and path in a request, its exception name outside one.</summary>
    public static string Title(ErrorRecord record) =>
        string.IsNullOrEmpty(record.Path) ? ShortName(record.ExceptionName) : $"{record.Method} {record.Path}".Trim();

}
