namespace ErrorTracking.Browser.Tests.Support;

/// <summary>Paths in the repository this test assembly was built from.</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding ErrorTracker.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>
    /// The build output of another project of the solution, built with the same configuration and framework as
    /// this assembly (a project reference builds it first).
    /// </summary>
    public static string BuildOutputOf(string projectFolder)
    {
        // This assembly runs from tests/<project>/bin/<configuration>/<framework>/.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(Root, projectFolder, "bin", here.Parent!.Name, here.Name);
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ErrorTracker.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ErrorTracker.sln above {AppContext.BaseDirectory}.");
    }
}
