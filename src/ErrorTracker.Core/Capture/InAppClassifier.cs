namespace ErrorTracking.Capture;

/// <summary>Tells the application's own frames from the framework's, the libraries' and the tracker's own.</summary>
internal sealed class InAppClassifier
{
    private static readonly string[] TrackerAssemblies =
        ["ErrorTracker.Core", "ErrorTracker.AspNetCore", "ErrorTracker.Console", "ErrorTracker.Storage.Dapper"];

    private readonly string[] _include;
    private readonly string[] _exclude;

    public InAppClassifier(IEnumerable<string> include, IEnumerable<string> exclude)
    {
        _include = include.Where(prefix => prefix.Length > 0).ToArray();
        _exclude = exclude.Where(prefix => prefix.Length > 0).ToArray();
    }

    public static bool IsTrackerCode(Type? type) =>
        type?.Assembly.GetName().Name is { } name && TrackerAssemblies.Contains(name, StringComparer.Ordinal);

    public bool IsInApp(Type? type)
    {
        if (type is null || IsTrackerCode(type))
        {
            return false;
        }

        var name = type.FullName ?? type.Name;
        if (_include.Any(prefix => HasPrefix(name, prefix)))
        {
            return true;
        }

        return !_exclude.Any(prefix => HasPrefix(name, prefix));
    }

    private static bool HasPrefix(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal)
        && (name.Length == prefix.Length || prefix.EndsWith('.') || name[prefix.Length] is '.' or '+');
}
