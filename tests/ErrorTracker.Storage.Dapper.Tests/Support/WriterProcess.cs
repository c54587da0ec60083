using System.Diagnostics;

namespace ErrorTracking.Storage.Tests.Support;

/// <summary>Runs ErrorTracker.StoreWriter, the second process of the multi-process storage tests.</summary>
internal static class WriterProcess
{
    public static async Task RunAsync(string kind, string connectionString, string hashName, int count)
    {
        // The writer is built beside this test project: tests/<project>/bin/<configuration>/<framework>/.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var tests = here.Parent!.Parent!.Parent!.Parent!.FullName;
        var writer = Path.Combine(tests, "ErrorTracker.StoreWriter", "bin", configuration, framework, "ErrorTracker.StoreWriter.dll");
        File.Exists(writer).Should().BeTrue($"the writer is built with the tests ({writer})");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "exec", writer, kind, connectionString, hashName, count.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(0, $"the writer failed: {await errors}{await output}");
    }
}
