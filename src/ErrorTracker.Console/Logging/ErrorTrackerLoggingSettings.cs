using Microsoft.Extensions.Logging;

namespace ErrorTracking.Hosting.Logging;

/// <summary>Which log entries the logging integration records.</summary>
/// <param name="MinimumLevel">The lowest level recorded.</param>
internal sealed record ErrorTrackerLoggingSettings(LogLevel MinimumLevel);
