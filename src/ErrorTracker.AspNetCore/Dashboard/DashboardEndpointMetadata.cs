namespace ErrorTracking.AspNetCore.Dashboard;

/// <summary>
/// Marks the dashboard's endpoints, so the capture middleware never records a request to them wherever they were
/// mapped (below a path base or a route group), not only under the configured prefix.
/// </summary>
internal sealed class DashboardEndpointMetadata
{
    public static DashboardEndpointMetadata Instance { get; } = new();

    private DashboardEndpointMetadata()
    {
    }
}
