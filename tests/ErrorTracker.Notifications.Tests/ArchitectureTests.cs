using System.Reflection;
using ErrorTracking.Notifications.Smtp;

namespace ErrorTracking.Notifications.Tests;

public sealed class ArchitectureTests
{
    private static readonly Assembly Adapter = typeof(SmtpNotifier).Assembly;

    [Test]
    public void The_smtp_package_depends_inward_on_core_and_knows_no_web_framework_database_or_host()
    {
        var references = Adapter.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.Should().Contain(["ErrorTracker.Core", "MailKit", "MimeKit"]);
        references.Should().NotContain(name => name.Contains("AspNetCore", StringComparison.Ordinal)
            || name.Contains("Sqlite", StringComparison.Ordinal) || name == "Dapper" || name == "ErrorTracker.Console");
    }

    [Test]
    public void Core_keeps_no_mail_dependency()
    {
        typeof(IErrorTracker).Assembly.GetReferencedAssemblies().Select(a => a.Name)
            .Should().NotContain(name => name!.StartsWith("MailKit", StringComparison.Ordinal) || name.StartsWith("MimeKit", StringComparison.Ordinal));
    }

    [Test]
    public void Every_public_type_is_sealed_or_static_or_an_enum()
    {
        Adapter.GetExportedTypes().Where(t => t.IsClass).Should().OnlyContain(t => t.IsSealed, "static classes are sealed too");
    }
}
