namespace ErrorTracking.Security;

/// <summary>
/// Decides who may see and change recorded errors, for every dashboard and API request. Upstream's Flask
/// integration opened nothing without one, its Django one allowed superusers only: here too the default
/// (<see cref="DenyAllViewPermission"/>) refuses everyone.
/// </summary>
public interface IViewPermission
{
    /// <summary>Decides whether <paramref name="viewer"/> may use the dashboard.</summary>
    /// <param name="viewer">Who is asking.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> to allow the request.</returns>
    ValueTask<bool> IsAllowedAsync(ViewerContext viewer, CancellationToken cancellationToken);
}
