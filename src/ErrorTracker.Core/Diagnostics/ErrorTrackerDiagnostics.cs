namespace ErrorTracking.Diagnostics;

/// <summary>Names under which the tracker reports on itself.</summary>
public static class ErrorTrackerDiagnostics
{
    /// <summary>The logger category of the tracker's own log lines; the logging integration never records it.</summary>
    public const string LogCategory = "ErrorTracking";

    /// <summary>The System.Diagnostics.Metrics meter with the tracker's counters (recorded, stored, dropped, ...).</summary>
    public const string MeterName = "ErrorTracker";
}
