namespace ErrorTracking.Tool;

/// <summary>The tool's exit codes, as documented in <c>errortracker --help</c> and the README.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>Bad arguments: an unknown command or option, a missing or malformed value, a refused confirmation.</summary>
    public const int Usage = 1;

    /// <summary>Nothing found: no database file, no group for the hash, or a prefix matching several groups.</summary>
    public const int NotFound = 2;

    /// <summary>The database could not be used: a wrong connection string, an unreachable server, a broken file.</summary>
    public const int Database = 3;

    /// <summary>The user answered no at a confirmation prompt, or pressed Ctrl+C.</summary>
    public const int Cancelled = 4;
}

/// <summary>A failure reported as one line on standard error and an exit code, never as a stack trace.</summary>
/// <param name="exitCode">One of <see cref="ExitCodes"/>.</param>
/// <param name="message">The line to print.</param>
internal sealed class ToolException(int exitCode, string message) : Exception(message)
{
    /// <summary>The process's exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
