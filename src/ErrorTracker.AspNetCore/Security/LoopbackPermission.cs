using System.Net;
using ErrorTracking.Security;

namespace ErrorTracking.AspNetCore.Security;

/// <summary>
/// Lets requests from this machine (loopback addresses) see recorded errors, whoever the user: for development,
/// and for the samples. Behind a reverse proxy every request may look local; do not use it there.
/// </summary>
public sealed class LoopbackPermission : IViewPermission
{
    /// <inheritdoc />
    public ValueTask<bool> IsAllowedAsync(ViewerContext viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        return ValueTask.FromResult(viewer.RemoteAddress is { } address && IPAddress.IsLoopback(address));
    }
}
