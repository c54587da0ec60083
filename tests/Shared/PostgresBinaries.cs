using System.Net;
using System.Net.Sockets;

namespace ErrorTracking.Testing.Postgres;

/// <summary>
/// Finds the PostgreSQL server programs and a free loopback port, for the test fixture and the benchmarks that
/// start throwaway clusters. Compiled into each of them (no test framework here, so the benchmarks can use it).
/// </summary>
internal static class PostgresBinaries
{
    /// <summary>The folder holding initdb, pg_ctl and postgres: from PATH (links followed), else the newest under /usr/lib/postgresql.</summary>
    public static string? FindBinDirectory()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(directory, "initdb");
            if (!File.Exists(initdb))
            {
                continue;
            }

            // pg_ctl starts the postgres binary next to its real location, so a symlink in /usr/local/bin has
            // to be followed to the directory that has all three.
            var real = Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb);
            if (real is not null && HasServerBinaries(real))
            {
                return real;
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        return Directory.EnumerateDirectories(debianRoot)
            .Select(d => (Directory: Path.Combine(d, "bin"), Version: ParseVersion(Path.GetFileName(d))))
            .Where(c => c.Version is not null && HasServerBinaries(c.Directory))
            .OrderByDescending(c => c.Version)
            .Select(c => c.Directory)
            .FirstOrDefault();
    }

    /// <summary>A loopback TCP port nothing listens on right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static bool HasServerBinaries(string directory) =>
        File.Exists(Path.Combine(directory, "initdb"))
        && File.Exists(Path.Combine(directory, "pg_ctl"))
        && File.Exists(Path.Combine(directory, "postgres"));

    // Debian names the directories "15" or "9.6"; System.Version wants at least two parts.
    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;
}
