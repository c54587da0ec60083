using ErrorTracking.Security;

namespace ErrorTracking.AspNetCore.Security;

/// <summary>Lets every authenticated user see recorded errors.</summary>
public sealed class AuthenticatedUsersPermission : IViewPermission
{
    /// <inheritdoc />
    public ValueTask<bool> IsAllowedAsync(ViewerContext viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        return ValueTask.FromResult(viewer.User.Identity?.IsAuthenticated == true);
    }
}
