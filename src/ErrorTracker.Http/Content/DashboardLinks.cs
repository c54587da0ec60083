namespace ErrorTracking.Http.Content;

/// <summary>A group's dashboard page, for ticketing, which is not handed one as notifiers are.</summary>
internal static class DashboardLinks
{
    /// <summary>The page of group <paramref name="hash"/> under <paramref name="dashboardUrl"/>, or none when no dashboard address is configured.</summary>
    public static Uri? For(Uri? dashboardUrl, string hash) => dashboardUrl is { IsAbsoluteUri: true }
        ? new Uri(dashboardUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + Uri.EscapeDataString(hash))
        : null;
}
