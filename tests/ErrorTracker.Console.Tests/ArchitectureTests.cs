using System.Reflection;

namespace ErrorTracking.Hosting.Tests;

public sealed class ArchitectureTests
{
    private static readonly Assembly Adapter = typeof(Microsoft.Extensions.DependencyInjection.ErrorTrackerConfigurationExtensions).Assembly;

    [Test]
    public void The_adapter_depends_inward_on_core_and_knows_no_web_framework_or_database()
    {
        var references = Adapter.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.Should().Contain("ErrorTracker.Core");
        references.Should().NotContain(name => name.Contains("AspNetCore", StringComparison.Ordinal)
            || name.Contains("Sqlite", StringComparison.Ordinal) || name == "Dapper");
    }

    [Test]
    public void No_namespace_shadows_system_console()
    {
        Adapter.GetTypes().Select(t => t.Namespace).Should().NotContain(n => n != null && n.EndsWith(".Console", StringComparison.Ordinal));
    }
}
