using ErrorTracking.Security;

namespace ErrorTracking.AspNetCore.Security;

/// <summary>Lets authenticated users in one of the given roles see recorded errors.</summary>
public sealed class RolePermission : IViewPermission
{
    private readonly string[] _roles;

    /// <summary>Creates the permission.</summary>
    /// <param name="roles">The roles allowed; at least one.</param>
    public RolePermission(params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Length == 0 || roles.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Name at least one role, and no empty one.", nameof(roles));
        }

        _roles = roles;
    }

    /// <inheritdoc />
    public ValueTask<bool> IsAllowedAsync(ViewerContext viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        return ValueTask.FromResult(viewer.User.Identity?.IsAuthenticated == true && _roles.Any(viewer.User.IsInRole));
    }
}
