using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ErrorTracking.Testing.Postgres;
using Npgsql;

namespace ErrorTracking.Storage.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL server shared by every test in the run: started on first use, stopped and deleted by
/// <see cref="PostgresServerLifetime"/> when the run ends. Set <c>ERRORTRACKER_TEST_POSTGRES</c> to a connection
/// string to use an existing server instead.
/// </summary>
/// <remarks>
/// Tests should call <see cref="RequireAsync"/> (it ignores them, or fails them on CI, when PostgreSQL is missing)
/// and work in their own database from <see cref="CreateDatabaseAsync"/>. Tests that call
/// <see cref="StopServerAsync"/> must be <c>[NonParallelizable]</c>: the outage hits everyone using the server.
/// </remarks>
public sealed class PostgresServer
{
    public const string ConnectionStringVariable = "ERRORTRACKER_TEST_POSTGRES";

    private const string Superuser = "postgres";
    private const string OsUser = "postgres";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    // Task.Run so the start does not run inside Lazy's lock on a test's thread. A failed start is remembered, so
    // every test reports the same reason instead of each retrying initdb.
    private static readonly Lazy<Task<Startup>> Shared = new(() => Task.Run(StartSharedAsync));

    private readonly Cluster? _cluster;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<string> _createdDatabases = [];
    private bool _disposed;

    private PostgresServer(string connectionString, Cluster? cluster)
    {
        ConnectionString = connectionString;
        _cluster = cluster;
    }

    /// <summary>Superuser connection string to the <c>postgres</c> maintenance database.</summary>
    public string ConnectionString { get; }

    /// <summary>False when the server came from <c>ERRORTRACKER_TEST_POSTGRES</c>, which the tests must not stop.</summary>
    public bool IsManaged => _cluster is not null;

    /// <summary>The shared server; throws <see cref="InvalidOperationException"/> when none can be had.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var startup = await Shared.Value;
        return startup.Server ?? throw new InvalidOperationException("PostgreSQL is unavailable: " + startup.UnavailableReason);
    }

    /// <summary>
    /// The shared server, or ignores the calling test when PostgreSQL is not installed; on CI (<c>CI=true</c>)
    /// the test fails instead, so a misconfigured build agent cannot pass by skipping everything.
    /// </summary>
    public static async Task<PostgresServer> RequireAsync()
    {
        var startup = await Shared.Value;
        if (startup.Server is not null)
        {
            return startup.Server;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.Ordinal))
        {
            Assert.Fail("PostgreSQL tests failed, because " + startup.UnavailableReason + " CI=true requires PostgreSQL.");
        }

        Assert.Ignore("PostgreSQL tests ignored, because " + startup.UnavailableReason);
        throw new UnreachableException();
    }

    /// <summary>Stops and deletes the shared server if this run started one; called once at the end of the run.</summary>
    public static async Task StopAsync()
    {
        if (!Shared.IsValueCreated)
        {
            return;
        }

        Startup startup;
        try
        {
            startup = await Shared.Value;
        }
        catch (Exception)
        {
            // A failed start already cleaned up after itself, and the tests that asked for the server reported it.
            return;
        }

        if (startup.Server is not null)
        {
            await startup.Server.DisposeAsync();
        }
    }

    /// <summary>Creates an empty, uniquely named database and returns a superuser connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "errortracker_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        lock (_createdDatabases)
        {
            _createdDatabases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Stops the server to simulate an outage; connections fail until <see cref="StartServerAsync"/>. Ignores the
    /// test when the server is external, since stopping someone else's server is not the test's to do.
    /// </summary>
    public async Task StopServerAsync()
    {
        var cluster = RequireManaged();
        await _gate.WaitAsync();
        try
        {
            // Fast, not immediate: with synchronous_commit=off an immediate stop may drop the last commits, and
            // outage tests usually assert that data written before the outage is still there afterwards.
            await cluster.StopAsync("fast");
        }
        finally
        {
            _gate.Release();
        }

        // Pooled connections point at dead backends; without this the next open would hand one out.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts the server again on the same port with the same data, and waits until it accepts connections.</summary>
    public async Task StartServerAsync()
    {
        var cluster = RequireManaged();
        await _gate.WaitAsync();
        try
        {
            await cluster.StartAsync();
        }
        finally
        {
            _gate.Release();
        }

        NpgsqlConnection.ClearAllPools();
    }

    private Cluster RequireManaged()
    {
        if (_cluster is null)
        {
            Assert.Ignore($"The PostgreSQL server from {ConnectionStringVariable} is not the tests' to stop or start.");
        }

        return _cluster ?? throw new UnreachableException();
    }

    private async Task DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            NpgsqlConnection.ClearAllPools();
            if (_cluster is not null)
            {
                await _cluster.DestroyAsync();
            }
            else
            {
                await DropCreatedDatabasesAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // Someone else's server outlives the run, so the databases the tests made there would pile up.
    private async Task DropCreatedDatabasesAsync()
    {
        string[] names;
        lock (_createdDatabases)
        {
            names = [.. _createdDatabases];
        }

        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            foreach (var name in names)
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
            // Leftover test databases are litter, not a test failure.
        }
    }

    private static async Task<Startup> StartSharedAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            return new Startup(new PostgresServer(external, cluster: null), UnavailableReason: null);
        }

        if (OperatingSystem.IsWindows())
        {
            return new Startup(null, $"the throwaway server needs Linux or macOS; on Windows set {ConnectionStringVariable} to a connection string.");
        }

        var binDirectory = PostgresBinaries.FindBinDirectory();
        if (binDirectory is null)
        {
            return new Startup(null,
                "initdb and pg_ctl were found neither on PATH nor in /usr/lib/postgresql/*/bin "
                + $"(install the 'postgresql' package, or set {ConnectionStringVariable} to a connection string).");
        }

        var runAs = string.Equals(Environment.UserName, "root", StringComparison.Ordinal) ? OsUser : null;
        if (runAs is not null && !await OsUserExistsAsync(runAs))
        {
            return new Startup(null, $"the tests run as root, PostgreSQL refuses to, and there is no '{runAs}' OS user to run it as.");
        }

        var cluster = await Cluster.CreateAsync(binDirectory, runAs);
        return new Startup(new PostgresServer(cluster.ConnectionString, cluster), UnavailableReason: null);
    }

    private static async Task<bool> OsUserExistsAsync(string user)
    {
        try
        {
            var result = await RunAsync("id", ["-u", user], workingDirectory: null);
            return result.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (workingDirectory is not null)
        {
            startInfo.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', startInfo.ArgumentList)} did not finish within {CommandTimeout}.");
        }

        return new ProcessResult(process.ExitCode, await output + await error);
    }

    private sealed record Startup(PostgresServer? Server, string? UnavailableReason);

    private sealed record ProcessResult(int ExitCode, string Output);

    /// <summary>One initdb'd data directory under a private temp directory, and the postmaster running on it.</summary>
    private sealed class Cluster
    {
        private readonly string _binDirectory;
        private readonly string? _runAs;
        private readonly string _root;
        private int _port;
        private int? _watchdog;

        private Cluster(string binDirectory, string? runAs, string root)
        {
            _binDirectory = binDirectory;
            _runAs = runAs;
            _root = root;
        }

        public string ConnectionString => new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = _port,
            Username = Superuser,
            Database = "postgres",
            IncludeErrorDetail = true,
        }.ConnectionString;

        private string DataDirectory => Path.Combine(_root, "data");

        private string LogFile => Path.Combine(_root, "server.log");

        public static async Task<Cluster> CreateAsync(string binDirectory, string? runAs)
        {
            var root = await CreateRootAsync(runAs);
            var cluster = new Cluster(binDirectory, runAs, root);
            try
            {
                await cluster.StartWatchdogAsync();
                await cluster.InitAsync();
                await cluster.StartOnFreePortAsync();
                return cluster;
            }
            catch
            {
                await cluster.DestroyAsync();
                throw;
            }
        }

        public async Task StartAsync()
        {
            var result = await RunServerToolAsync("pg_ctl",
                "start", "-w", "-t", ((int)ReadyTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                "-D", DataDirectory, "-l", LogFile, "-o", "-p " + _port.ToString(CultureInfo.InvariantCulture));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"pg_ctl start failed (exit {result.ExitCode}):\n{result.Output}\n{ReadLog()}");
            }

            await WaitUntilReadyAsync();
        }

        public async Task StopAsync(string mode)
        {
            var result = await RunServerToolAsync("pg_ctl", "stop", "-w", "-m", mode, "-D", DataDirectory);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"pg_ctl stop failed (exit {result.ExitCode}):\n{result.Output}\n{ReadLog()}");
            }
        }

        public async Task DestroyAsync()
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                // The data is thrown away, so there is nothing for a clean shutdown to save.
                await RunServerToolAsync("pg_ctl", "stop", "-w", "-m", "immediate", "-D", DataDirectory);
            }

            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    Directory.Delete(_root, recursive: true);
                    break;
                }
                catch (DirectoryNotFoundException)
                {
                    break;
                }
                catch (IOException) when (attempt < 5)
                {
                    // Exiting backends can still be removing their temp files.
                    await Task.Delay(200);
                }
            }

            StopWatchdog();
        }

        // PostgreSQL will not run as root, so as root the directory must belong to the OS user that runs it, and
        // that user must be able to reach it: a TMPDIR under /root would not do, hence the /tmp fallback. The
        // length limit is the unix socket path (108 bytes), which lives in this directory too.
        private static async Task<string> CreateRootAsync(string? runAs)
        {
            var bases = new[] { Path.GetTempPath(), "/tmp" }.Distinct(StringComparer.Ordinal);
            foreach (var baseDirectory in bases)
            {
                var root = Path.Combine(baseDirectory, "errortracker-pg-" + Guid.NewGuid().ToString("N")[..8]);
                if (root.Length > 80)
                {
                    continue;
                }

                // Only the server's OS user has any business in here; the Windows branch merely satisfies the
                // platform analyzer, since StartSharedAsync never gets this far on Windows.
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(root);
                }
                else
                {
                    Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }

                if (runAs is null)
                {
                    return root;
                }

                var chown = await RunAsync("chown", [$"{runAs}:", root], workingDirectory: null);
                var writable = chown.ExitCode == 0
                    && (await RunAsync("runuser", ["-u", runAs, "--", "test", "-w", root], workingDirectory: null)).ExitCode == 0;
                if (writable)
                {
                    return root;
                }

                Directory.Delete(root, recursive: true);
            }

            throw new InvalidOperationException($"Found no temp directory that the '{runAs ?? Environment.UserName}' OS user can write to.");
        }

        // The end-of-run teardown does not run when the test host is killed (a hang timeout, Ctrl+C, a crash). A
        // detached shell, reparented away from the test host so killing its process tree misses it, waits for the
        // host to exit and then takes the server and the directory down.
        private async Task StartWatchdogAsync()
        {
            const string script = """
                (
                  while kill -0 "$1" 2>/dev/null; do sleep 1; done
                  pidfile="$2/data/postmaster.pid"
                  if [ -f "$pidfile" ]; then
                    postmaster=$(head -n 1 "$pidfile")
                    kill -QUIT "$postmaster" 2>/dev/null
                    i=0
                    while kill -0 "$postmaster" 2>/dev/null && [ "$i" -lt 40 ]; do sleep 0.25; i=$((i + 1)); done
                  fi
                  rm -rf "$2"
                ) </dev/null >/dev/null 2>&1 &
                echo $!
                """;
            var result = await RunAsync("/bin/sh",
                ["-c", script, "postgres-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), _root],
                workingDirectory: _root);
            if (result.ExitCode != 0 || !int.TryParse(result.Output.Trim(), CultureInfo.InvariantCulture, out var watchdog))
            {
                throw new InvalidOperationException($"Could not start the PostgreSQL watchdog:\n{result.Output}");
            }

            _watchdog = watchdog;
        }

        // After a normal teardown the watchdog has nothing left to do, and should not outlive the run either.
        private void StopWatchdog()
        {
            if (_watchdog is not { } pid)
            {
                return;
            }

            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Exited between the lookup and the kill.
            }
        }

        private async Task InitAsync()
        {
            var result = await RunServerToolAsync("initdb",
                "-D", DataDirectory, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed (exit {result.ExitCode}):\n{result.Output}");
            }

            // Durability is worthless for a cluster deleted at the end of the run, and costs seconds per test.
            var settings = new StringBuilder()
                .AppendLine()
                .AppendLine("listen_addresses = '127.0.0.1'")
                .AppendLine(CultureInfo.InvariantCulture, $"unix_socket_directories = '{_root}'")
                .AppendLine("fsync = off")
                .AppendLine("synchronous_commit = off")
                .AppendLine("full_page_writes = off")
                .ToString();
            await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), settings);
        }

        // Between probing a port and the postmaster binding it another process may take it, which is worth a
        // couple of retries on a busy CI machine.
        private async Task StartOnFreePortAsync()
        {
            for (var attempt = 1; ; attempt++)
            {
                _port = PostgresBinaries.FreePort();
                try
                {
                    await StartAsync();
                    return;
                }
                catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
                {
                }
            }
        }

        // pg_ctl -w only knows the postmaster is up; this proves a client gets through TCP and authentication.
        private async Task WaitUntilReadyAsync()
        {
            var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = 2 }.ConnectionString;
            var clock = Stopwatch.StartNew();
            NpgsqlException? lastError = null;
            while (clock.Elapsed < ReadyTimeout)
            {
                try
                {
                    await using var connection = new NpgsqlConnection(connectionString);
                    await connection.OpenAsync();
                    return;
                }
                catch (NpgsqlException e)
                {
                    lastError = e;
                }

                await Task.Delay(100);
            }

            throw new InvalidOperationException(
                $"PostgreSQL on port {_port} did not accept connections within {ReadyTimeout}: {lastError?.Message}\n{ReadLog()}", lastError);
        }

        private Task<ProcessResult> RunServerToolAsync(string tool, params string[] arguments)
        {
            var executable = Path.Combine(_binDirectory, tool);
            return _runAs is null
                ? RunAsync(executable, arguments, _root)
                : RunAsync("runuser", ["-u", _runAs, "--", executable, .. arguments], _root);
        }

        private string ReadLog()
        {
            try
            {
                return "Server log:\n" + File.ReadAllText(LogFile);
            }
            catch (IOException)
            {
                return "(no server log)";
            }
        }
    }
}
