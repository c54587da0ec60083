using System.Diagnostics;

namespace ErrorTracking.Tool.Tests.Support;

/// <summary>What one run of the tool printed and returned.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Errors);

/// <summary>Runs the built tool as a process (<c>dotnet exec ErrorTracker.Tool.dll ...</c>), as a user would.</summary>
public static class ToolProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The tool's dll, built beside this project: src/ErrorTracker.Tool/bin/&lt;configuration&gt;/&lt;framework&gt;/.</summary>
    public static string Dll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(root, "src", "ErrorTracker.Tool", "bin", here.Parent!.Name, here.Name, "ErrorTracker.Tool.dll");
            File.Exists(dll).Should().BeTrue($"the tool is built with the tests ({dll})");
            return dll;
        }
    }

    /// <summary>A start of the tool in <paramref name="workingDirectory"/>, with no ErrorTracker settings inherited.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ErrorTracker", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>Runs the tool to its end with empty, redirected standard input.</summary>
    public static async Task<ToolResult> RunAsync(string workingDirectory, params string[] arguments) =>
        await RunAsync(workingDirectory, null, arguments);

    /// <summary>Runs the tool to its end with extra environment variables.</summary>
    public static async Task<ToolResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, arguments))!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ToolResult(process.ExitCode, await output, await errors);
    }
}
