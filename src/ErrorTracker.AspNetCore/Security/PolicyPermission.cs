using ErrorTracking.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.AspNetCore.Security;

/// <summary>Lets users who satisfy an authorization policy see recorded errors, through <see cref="IAuthorizationService"/>.</summary>
public sealed class PolicyPermission : IViewPermission
{
    private readonly string _policy;

    /// <summary>Creates the permission.</summary>
    /// <param name="policy">The name of a registered authorization policy.</param>
    public PolicyPermission(string policy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policy);
        _policy = policy;
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsAllowedAsync(ViewerContext viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        var authorization = viewer.Services.GetService<IAuthorizationService>()
            ?? throw new InvalidOperationException(
                $"PolicyPermission(\"{_policy}\") needs authorization: call builder.Services.AddAuthorization(...).");
        var result = await authorization.AuthorizeAsync(viewer.User, resource: null, _policy).ConfigureAwait(false);
        return result.Succeeded;
    }
}
