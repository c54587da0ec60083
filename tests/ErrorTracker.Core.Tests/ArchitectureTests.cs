using System.Reflection;

namespace ErrorTracking.Tests;

public sealed class ArchitectureTests
{
    private static readonly Assembly Core = typeof(ErrorTracker).Assembly;

    [Test]
    public void Core_knows_nothing_of_web_frameworks_databases_or_hosting()
    {
        var references = Core.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.Should().OnlyContain(name =>
            name.StartsWith("System", StringComparison.Ordinal)
            || name == "netstandard"
            || name == "Microsoft.Extensions.DependencyInjection.Abstractions"
            || name == "Microsoft.Extensions.Options"
            || name == "Microsoft.Extensions.Logging.Abstractions"
            || name == "Microsoft.Extensions.Primitives");
    }

    [Test]
    public void No_namespace_can_hide_the_facade_or_system_console()
    {
        // A namespace called ErrorTracker makes users' ErrorTracker.RecordException(ex) fail with CS0234, and one
        // ending in .Console shadows System.Console inside ErrorTracking.
        var namespaces = Core.GetTypes().Select(t => t.Namespace).Where(n => n is not null).Distinct().ToList();

        namespaces.Should().NotContain(n => n == "ErrorTracker" || n!.StartsWith("ErrorTracker.", StringComparison.Ordinal));
        namespaces.Should().NotContain(n => n!.EndsWith(".Console", StringComparison.Ordinal));
    }

    [Test]
    public void Public_types_live_under_ErrorTracking_or_the_DI_namespace_and_classes_are_sealed_or_static()
    {
        var exported = Core.GetExportedTypes();

        exported.Should().OnlyContain(t =>
            t.Namespace!.StartsWith("ErrorTracking", StringComparison.Ordinal) || t.Namespace == "Microsoft.Extensions.DependencyInjection");
        exported.Where(t => t.IsClass && !t.IsAbstract).Should().OnlyContain(t => t.IsSealed, "classes are sealed by default");
    }
}
