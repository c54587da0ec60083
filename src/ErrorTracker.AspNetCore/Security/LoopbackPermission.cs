using System.Net;
using ErrorTracking.Security;

namespace ErrorTracking.AspNetCore.Security;

/// <summary>
/// Lets requests from this machine see recorded errors, whoever the user: for development, and for the samples.
/// The connection must come from a loopback address and the request must name a loopback host (localhost,
/// 127.0.0.1, [::1]): a page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) is refused. Behind a
/// reverse proxy every request may look local; do not use it there.
/// </summary>
public sealed class LoopbackPermission : IViewPermission
{
    /// <inheritdoc />
    public ValueTask<bool> IsAllowedAsync(ViewerContext viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        return ValueTask.FromResult(viewer.RemoteAddress is { } address && IPAddress.IsLoopback(address) && IsLoopbackName(viewer.Host));
    }

    private static bool IsLoopbackName(string? host) =>
        host is null
        || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
