using System.Reflection;

namespace ErrorTracking.Storage.Tests;

public sealed class ArchitectureTests
{
    private static readonly Assembly Adapter = typeof(SqlErrorStore).Assembly;

    [Test]
    public void The_storage_package_depends_inward_on_core_and_forces_no_postgres_driver()
    {
        var references = Adapter.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.Should().Contain(["ErrorTracker.Core", "Dapper", "Microsoft.Data.Sqlite"]);
        references.Should().NotContain(name => name.StartsWith("Npgsql", StringComparison.Ordinal)
            || name.Contains("AspNetCore", StringComparison.Ordinal) || name.Contains("Hosting", StringComparison.Ordinal));
    }
}
