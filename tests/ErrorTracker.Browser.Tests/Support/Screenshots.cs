namespace ErrorTracking.Browser.Tests.Support;

/// <summary>
/// Where the dashboard's screenshots go: artifacts/screenshots on every run (for CI to keep and a reviewer to
/// look at), and docs/images too when <c>ERRORTRACKER_UPDATE_SCREENSHOTS=1</c>, to refresh the committed ones.
/// </summary>
internal static class Screenshots
{
    public const string UpdateVariable = "ERRORTRACKER_UPDATE_SCREENSHOTS";

    public static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static void Save(string name, byte[] png)
    {
        var folders = new List<string> { Path.Combine(Repository.Root, "artifacts", "screenshots") };
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            folders.Add(Path.Combine(Repository.Root, "docs", "images"));
        }

        foreach (var folder in folders)
        {
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, name);
            File.WriteAllBytes(file, png);
            TestContext.AddTestAttachment(file);
        }
    }
}
