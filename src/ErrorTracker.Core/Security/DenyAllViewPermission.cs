namespace ErrorTracking.Security;

/// <summary>The default permission: nobody may see recorded errors until the application says who may.</summary>
public sealed class DenyAllViewPermission : IViewPermission
{
    /// <inheritdoc />
    public ValueTask<bool> IsAllowedAsync(ViewerContext viewer, CancellationToken cancellationToken) => ValueTask.FromResult(false);
}
