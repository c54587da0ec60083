using System.Diagnostics;

namespace ErrorTracking.Storage.Tests.Support;

/// <summary>Runs ErrorTracker.StoreWriter, the second process of the multi-process storage tests.</summary>
internal static class WriterProcess
{
    public static async Task RunAsync(string kind, string connectionString, string hashName, int count)
    {
        using var process = Process.Start(Start(kind, connectionString, hashName, count.ToString(System.Globalization.CultureInfo.InvariantCulture)))!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(0, $"the writer failed: {await errors}{await output}");
    }

    /// <summary>
    /// Another process that holds an exclusive lock on an SQLite file, as a backup tool or a second application would,
    /// until the returned handle is disposed.
    /// </summary>
    public static async Task<IAsyncDisposable> LockAsync(string connectionString)
    {
        var start = Start("lock", connectionString);
        start.RedirectStandardInput = true;
        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line != "locked")
        {
            // Its error output is complete only once it has exited, which it has when it failed.
            Assert.Fail($"The locking process failed: {line} {await process.StandardError.ReadToEndAsync()}");
        }

        return new Lock(process);
    }

    private static ProcessStartInfo Start(params string[] arguments)
    {
        // The writer is built beside this test project: tests/<project>/bin/<configuration>/<framework>/.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var tests = here.Parent!.Parent!.Parent!.Parent!.FullName;
        var writer = Path.Combine(tests, "ErrorTracker.StoreWriter", "bin", configuration, framework, "ErrorTracker.StoreWriter.dll");
        File.Exists(writer).Should().BeTrue($"the writer is built with the tests ({writer})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(writer);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private sealed class Lock(Process process) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(timeout.Token);
            process.Dispose();
        }
    }
}
