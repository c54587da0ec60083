using ErrorTracking.Security;

namespace ErrorTracking.AspNetCore.Tests.Support;

/// <summary>A view permission that lets every request see the dashboard, for tests of what it shows and answers.</summary>
internal sealed class Everyone : IViewPermission
{
    public ValueTask<bool> IsAllowedAsync(ViewerContext viewer, CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
