using System.Net;
using System.Security.Claims;

namespace ErrorTracking.Security;

/// <summary>Who is asking to see recorded errors, independent of any web framework.</summary>
/// <param name="User">The authenticated (or anonymous) user.</param>
/// <param name="RemoteAddress">The client's address, when known.</param>
/// <param name="Services">The request's services, for permissions that need more.</param>
public sealed record ViewerContext(ClaimsPrincipal User, IPAddress? RemoteAddress, IServiceProvider Services)
{
    /// <summary>The host name the request was addressed to (without its port), when known.</summary>
    public string? Host { get; init; }
}
