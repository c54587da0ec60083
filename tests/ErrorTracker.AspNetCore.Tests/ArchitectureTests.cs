using System.Reflection;
using Microsoft.AspNetCore.Builder;

namespace ErrorTracking.AspNetCore.Tests;

public sealed class ArchitectureTests
{
    [Test]
    public void The_web_adapter_depends_inward_and_knows_no_database()
    {
        var references = typeof(ErrorTrackerApplicationBuilderExtensions).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.Should().Contain("ErrorTracker.Core");
        references.Should().NotContain(name => name.Contains("Sqlite", StringComparison.Ordinal) || name == "Dapper" || name.StartsWith("Npgsql", StringComparison.Ordinal));
    }

    [Test]
    public void Use_without_add_names_the_missing_call()
    {
        var app = WebApplication.CreateBuilder().Build();

        FluentActions.Invoking(() => app.UseErrorTracker()).Should().Throw<InvalidOperationException>()
            .WithMessage("*builder.Services.AddErrorTracker(...)*");
    }
}
