using System.Diagnostics;
using System.Globalization;
using System.Text;
using ErrorTracking.Testing.Postgres;

namespace ErrorTracking.Browser.Tests.Support;

/// <summary>
/// The web sample, run from its build output as a separate process on a free loopback port with its own SQLite
/// file in a temporary folder: the same program a developer starts, so the browser sees its real pipeline
/// (exception handler, status code pages, static files, the dashboard's guard and headers).
/// </summary>
public sealed class SampleServer : IDashboardServer
{
    private const string SampleProject = "samples/ErrorTracker.Samples.Web";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SampleServer(Process process, string folder, Uri address)
    {
        _process = process;
        Folder = folder;
        Address = address;
    }

    /// <summary>The sample's root address, with a trailing slash.</summary>
    public Uri Address { get; }

    /// <summary>The dashboard's list page.</summary>
    public Uri Dashboard => new(Address, "dev/error/");

    /// <summary>The temporary folder holding the database; deleted on dispose.</summary>
    public string Folder { get; }

    /// <summary>The SQLite file the sample records into (with its -wal and -shm beside it).</summary>
    public string DatabaseFile => Path.Combine(Folder, "errors.db");

    /// <summary>What the sample wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<SampleServer> StartAsync()
    {
        // A port found free can be taken by another process (the test projects run at once) before the sample binds
        // it: then the sample exits saying so, and starts again on another port.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync().ConfigureAwait(false);
            }
            catch (PortTakenException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task<SampleServer> StartOnceAsync()
    {
        var dll = Path.Combine(Repository.BuildOutputOf(SampleProject), "ErrorTracker.Samples.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The web sample is built with the tests, but {dll} is missing.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "errortracker-browser", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var address = new Uri($"http://127.0.0.1:{PostgresBinaries.FreePort().ToString(CultureInfo.InvariantCulture)}/");

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Anything the sample writes to a relative path lands in the throwaway folder, not the repository.
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.GetLeftPart(UriPartial.Authority));
        start.ArgumentList.Add("--ConnectionStrings:Errors");
        start.ArgumentList.Add($"Data Source={Path.Combine(folder, "errors.db")}");
        // The sample as shipped: a developer's ASPNETCORE_ENVIRONMENT=Development would change what it does.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";

        var process = new Process { StartInfo = start };
        var server = new SampleServer(process, folder, address);
        process.OutputDataReceived += (_, line) => server.Append(line.Data);
        process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitUntilAnsweringAsync().ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(Folder, recursive: true);
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                // Waits for the output streams to close too: the line that says why may still be on its way.
                await _process.WaitForExitAsync().ConfigureAwait(false);
                var message = $"The web sample exited with {_process.ExitCode} before it answered:\n{Output}";
                throw Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                    ? new PortTakenException(message)
                    : new InvalidOperationException(message);
            }

            try
            {
                using var response = await client.GetAsync(Address).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, but not answering yet.
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The web sample did not answer at {Address} within {StartTimeout.TotalSeconds} s:\n{Output}");
            }

            // Polling the port: Kestrel offers no signal to another process that it is ready.
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private sealed class PortTakenException(string message) : InvalidOperationException(message);
}
