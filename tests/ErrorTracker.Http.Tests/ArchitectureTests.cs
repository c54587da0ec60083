using System.Reflection;

namespace ErrorTracking.Http.Tests;

public sealed class ArchitectureTests
{
    private static readonly Assembly Http = typeof(WebhookNotifier).Assembly;

    [Test]
    public void The_package_needs_only_core_and_the_extensions_no_web_framework()
    {
        Http.GetReferencedAssemblies().Select(a => a.Name!).Should().OnlyContain(name =>
            name.StartsWith("System", StringComparison.Ordinal)
            || name == "netstandard"
            || name == "ErrorTracker.Core"
            || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal));
    }

    [Test]
    public void Public_types_live_under_ErrorTracking_Http_or_the_DI_namespace_and_classes_are_sealed_or_static()
    {
        var exported = Http.GetExportedTypes();

        exported.Should().OnlyContain(t => t.Namespace == "ErrorTracking.Http" || t.Namespace == "Microsoft.Extensions.DependencyInjection");
        exported.Where(t => t.IsClass && !t.IsAbstract).Should().OnlyContain(t => t.IsSealed, "classes are sealed by default");
    }
}
