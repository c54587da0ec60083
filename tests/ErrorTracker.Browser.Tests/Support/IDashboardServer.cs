namespace ErrorTracking.Browser.Tests.Support;

/// <summary>An application with the dashboard, running on loopback for the browser.</summary>
public interface IDashboardServer : IAsyncDisposable
{
    /// <summary>The application's root address, with a trailing slash.</summary>
    Uri Address { get; }

    /// <summary>The dashboard's list page.</summary>
    Uri Dashboard { get; }

    /// <summary>What the application wrote so far, for failure messages.</summary>
    string Output { get; }
}
