using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ErrorTracking.Testing.Postgres;
using Npgsql;

namespace ErrorTracking.Benchmarks;

/// <summary>
/// A throwaway PostgreSQL cluster for one benchmark run: initdb into a private temp directory, pg_ctl start on a free
/// loopback port, deleted on dispose. Durability settings stay at PostgreSQL's defaults (fsync, synchronous_commit and
/// full_page_writes on), because commit cost is a real part of what the write benchmark measures.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private const string OsUser = "postgres";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);

    private readonly string _bin;
    private readonly string _root;
    private readonly bool _asPostgresUser;

    private PostgresCluster(string bin, string root, bool asPostgresUser, int port)
    {
        _bin = bin;
        _root = root;
        _asPostgresUser = asPostgresUser;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = port,
            Username = "postgres",
            Database = "postgres",
        }.ConnectionString;
    }

    /// <summary>A superuser connection string to the maintenance database.</summary>
    public string ConnectionString { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = PostgresBinaries.FindBinDirectory() ?? throw new InvalidOperationException(
            "initdb/pg_ctl not found on PATH or under /usr/lib/postgresql/*/bin; install PostgreSQL or set "
            + BenchEnvironment.PostgresVariable + ".");
        // PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres OS user; /tmp because that
        // user cannot reach a TMPDIR under /root, and short because the unix socket path lives in it too.
        var asPostgresUser = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        var root = Path.Combine("/tmp", "errortracker-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var cluster = new PostgresCluster(bin, root, asPostgresUser, PostgresBinaries.FreePort());
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", [OsUser + ":", root]);
            }

            await cluster.ToolAsync("initdb", "-D", cluster.DataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C");
            var port = new NpgsqlConnectionStringBuilder(cluster.ConnectionString).Port.ToString(CultureInfo.InvariantCulture);
            await cluster.ToolAsync("pg_ctl", "start", "-w", "-D", cluster.DataDirectory, "-l", Path.Combine(root, "server.log"),
                "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                // The data is thrown away, so a clean shutdown would only spend time writing a checkpoint.
                await ToolAsync("pg_ctl", "stop", "-w", "-m", "immediate", "-D", DataDirectory);
            }
            catch (Exception e)
            {
                await Console.Error.WriteLineAsync("Stopping PostgreSQL failed: " + e.Message);
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"Could not delete {_root}: {e.Message}");
        }
    }

    private Task ToolAsync(string tool, params string[] arguments)
    {
        var executable = Path.Combine(_bin, tool);
        return _asPostgresUser ? RunAsync("runuser", ["-u", OsUser, "--", executable, .. arguments]) : RunAsync(executable, arguments);
    }

    private static async Task RunAsync(string fileName, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The postgres user may not be able to enter the current directory (for example one under /root).
            WorkingDirectory = "/tmp",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start " + fileName);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ToolTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', startInfo.ArgumentList)} exited with {process.ExitCode}:\n{await output}{await error}");
        }
    }
}
