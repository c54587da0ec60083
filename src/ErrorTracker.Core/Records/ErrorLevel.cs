namespace ErrorTracking.Records;

/// <summary>How severe a recorded occurrence is.</summary>
public enum ErrorLevel
{
    /// <summary>An informational message captured with <c>CaptureMessage</c>.</summary>
    Info,

    /// <summary>A warning.</summary>
    Warning,

    /// <summary>An error: the level of every recorded exception.</summary>
    Error,

    /// <summary>A failure the process did not survive, such as an unhandled exception.</summary>
    Fatal,
}
