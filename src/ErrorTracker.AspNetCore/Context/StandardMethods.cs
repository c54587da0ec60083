using System.Collections.Frozen;

namespace ErrorTracking.AspNetCore;

/// <summary>
/// The request methods a record names as they are: those of RFC 9110, PATCH (RFC 5789), QUERY, and the rest of the
/// IANA HTTP method registry (WebDAV, CalDAV, versioning, search, binding). Kestrel accepts any token, and the method
/// is part of what groups a status answered: every other method shares <see cref="Other"/>, so a client sending
/// random methods cannot make a group each.
/// </summary>
internal static class StandardMethods
{
    /// <summary>The method column and grouping name of every method outside the registered set.</summary>
    public const string Other = "OTHER";

    /// <summary>The context key that keeps the method a client sent when it was not a registered one.</summary>
    public const string SentMethodKey = "request_method";

    // Ordinal: methods are case-sensitive (RFC 9110, 9.1), so "get" is another token, not GET. PRI is left out: it only
    // opens an HTTP/2 connection and never reaches an application as a request.
    private static readonly FrozenSet<string> Registered = new[]
    {
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY",
        "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK",
        "ACL", "BASELINE-CONTROL", "BIND", "CHECKIN", "CHECKOUT", "LABEL", "LINK", "MERGE", "MKACTIVITY",
        "MKCALENDAR", "MKREDIRECTREF", "MKWORKSPACE", "ORDERPATCH", "REBIND", "REPORT", "SEARCH", "UNBIND",
        "UNCHECKOUT", "UNLINK", "UPDATE", "UPDATEREDIRECTREF", "VERSION-CONTROL",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The method itself when it is registered, otherwise <see cref="Other"/>.</summary>
    public static string Bucket(string method) => Registered.Contains(method) ? method : Other;
}
