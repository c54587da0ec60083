using System.Runtime.InteropServices;

namespace ErrorTracking.Records;

/// <summary>The process an occurrence was captured in.</summary>
/// <param name="MachineName">The machine's name.</param>
/// <param name="ProcessId">The process id.</param>
/// <param name="RuntimeVersion">The .NET runtime, e.g. <c>.NET 10.0.1</c>.</param>
/// <param name="OperatingSystem">The operating system description.</param>
public sealed record RuntimeEnvironment(string MachineName, int ProcessId, string RuntimeVersion, string OperatingSystem)
{
    /// <summary>The environment of the current process.</summary>
    public static RuntimeEnvironment Current { get; } = new(
        Environment.MachineName,
        Environment.ProcessId,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription);
}
