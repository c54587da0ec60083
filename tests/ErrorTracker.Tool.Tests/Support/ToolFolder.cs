using Microsoft.Data.Sqlite;

namespace ErrorTracking.Tool.Tests.Support;

/// <summary>A test's own folder under the temporary directory, for its database file and the tool's working directory.</summary>
public static class ToolFolder
{
    /// <summary>Creates a new, empty folder.</summary>
    public static string Create(string prefix = "")
    {
        var folder = Path.Combine(Path.GetTempPath(), "errortracker-tool", prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Deletes the folder, after closing the pooled SQLite connections that would keep its files open.</summary>
    public static void Remove(string folder)
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
