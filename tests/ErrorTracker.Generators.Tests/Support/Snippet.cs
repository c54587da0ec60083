using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using ErrorTracking.Decorators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ErrorTracking.Generators.Tests.Support;

/// <summary>
/// Compiles C# source in memory the way a project referencing ErrorTracker.Core does (interceptors enabled in
/// <c>ErrorTracking.Generated</c>, warnings that matter reported), runs the generator on it, and loads the result
/// against the test's own ErrorTracker.Core, so the code it runs records through the tracker the test installed.
/// </summary>
internal sealed class Snippet
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private Snippet(CSharpCompilation output, ImmutableArray<Diagnostic> generatorDiagnostics, string generated)
    {
        Output = output;
        GeneratorDiagnostics = generatorDiagnostics;
        Generated = generated;
    }

    /// <summary>The compilation with the generated source added.</summary>
    public CSharpCompilation Output { get; }

    /// <summary>What the generator reported.</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    /// <summary>The generated interceptors' source, empty when none were generated.</summary>
    public string Generated { get; }

    public static Snippet Generate(string source, NullableContextOptions nullable = NullableContextOptions.Enable)
    {
        var parse = CSharpParseOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithFeatures([new("InterceptorsNamespaces", "ErrorTracking.Generated")]);
        var compilation = CSharpCompilation.Create(
            "Snippet" + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(source, parse, path: "Snippet.cs", encoding: System.Text.Encoding.UTF8)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: nullable,
                optimizationLevel: OptimizationLevel.Debug, allowUnsafe: true, warningLevel: 9999));
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Should().BeEmpty("the snippet itself should compile cleanly");

        var driver = CSharpGeneratorDriver.Create([new TrackExceptionsGenerator().AsSourceGenerator()], parseOptions: parse);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var generated = output.SyntaxTrees.Skip(1).Select(t => t.ToString()).FirstOrDefault() ?? "";
        return new Snippet((CSharpCompilation)output, diagnostics, generated);
    }

    /// <summary>Generates, checks that everything compiles without a warning, and loads the assembly.</summary>
    public static Assembly Load(string source)
    {
        var snippet = Generate(source);
        snippet.GeneratorDiagnostics.Should().BeEmpty();
        snippet.Generated.Should().NotBeEmpty("the snippet calls tracked methods");
        return snippet.Load();
    }

    public Assembly Load()
    {
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Should().BeEmpty("the generated code should compile without warnings:\n" + Generated);
        using var image = new MemoryStream();
        using var symbols = new MemoryStream();
        var emitted = Output.Emit(image, symbols);
        emitted.Success.Should().BeTrue(string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        symbols.Position = 0;
        return new SnippetLoadContext().LoadFromStream(image, symbols);
    }

    /// <summary>Runs <c>Entry.Run()</c> of the snippet, which returns what it wants the test to see.</summary>
    public static object? Run(Assembly assembly, string method = "Run") =>
        assembly.GetType("Entry")!.GetMethod(method)!.Invoke(null, null);

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var core = typeof(TrackedCall).Assembly.Location;
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => !Path.GetFileName(path).StartsWith("ErrorTracker.", StringComparison.Ordinal));
        return [.. platform.Append(core).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }

    // Collectible, but ErrorTracker.Core resolves to the test's own copy: one ErrorTracker.Current for both.
    private sealed class SnippetLoadContext() : AssemblyLoadContext(isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == typeof(TrackedCall).Assembly.GetName().Name ? typeof(TrackedCall).Assembly : null;
    }
}
