using ErrorTracking.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace ErrorTracking.Generators.Tests;

/// <summary>Each call the generator cannot wrap is reported where it is, and left as it was.</summary>
public sealed class DiagnosticTests
{
    private const string Tracked = """
        using System;
        using ErrorTracking;

        public interface IWork { int Work(int x); }

        public partial class Service : IWork
        {
            [TrackExceptions] public int Work(int x) => x;
            [TrackExceptions] public static int Sum(ReadOnlySpan<int> values) => values.Length;
            [TrackExceptions] public static Span<int> Slice(int[] values) => values;
            [TrackExceptions] public static ref int First(int[] values) => ref values[0];
            [TrackExceptions] private int Secret(int x) => x;
        }

        """;

    [TestCase("public static class Entry { public static int Run<T>(T service) where T : Service => /*here*/service.Work(1); }", "ETG001", "'Service.Work(int)'")]
    [TestCase("public static class Entry { public static int Run() => /*here*/Service.Sum([1, 2]); }", "ETG003", "parameter 'values' of type 'ReadOnlySpan<int>'")]
    [TestCase("public static class Entry { public static int Run() => /*here*/Service.Slice([1]).Length; }", "ETG002", "returns 'Span<int>' (a ref struct)")]
    [TestCase("public static class Entry { public static int Run() => /*here*/Service.First([1]); }", "ETG002", "returns 'int' by reference")]
    [TestCase("public partial class Service { public int CallsSecret() => /*here*/Secret(1); }", "ETG004", "'Service.Secret(int)'")]
    public void An_untrackable_call_is_reported_at_the_call_and_compiles_as_it_was(string entry, string id, string message)
    {
        var source = Tracked + entry;
        var snippet = Snippet.Generate(source);

        var diagnostic = snippet.GeneratorDiagnostics.Should().ContainSingle().Which;
        diagnostic.Id.Should().Be(id);
        diagnostic.Severity.Should().Be(DiagnosticSeverity.Warning);
        diagnostic.Descriptor.Category.Should().Be("ErrorTracker");
        diagnostic.Descriptor.Description.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().NotBeEmpty("each diagnostic explains what to do instead");
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Should().Contain(message);
        diagnostic.Location.SourceSpan.Start.Should().Be(source.IndexOf("/*here*/", StringComparison.Ordinal) + "/*here*/".Length);
        snippet.Generated.Should().BeEmpty();
        snippet.Load();
    }

    [Test]
    public void A_class_level_attribute_skips_private_helpers_silently()
    {
        var snippet = Snippet.Generate("""
            [ErrorTracking.TrackExceptions]
            public class Service
            {
                private int Helper(int x) => x;
                public int Work(int x) => Helper(x);
            }
            """);

        snippet.GeneratorDiagnostics.Should().BeEmpty();
        snippet.Generated.Should().BeEmpty();
    }

    [Test]
    public void A_method_of_a_generic_type_called_from_generic_code_is_wrapped_with_a_generic_interceptor()
    {
        var snippet = Snippet.Generate("""
            public class Repository<T> where T : class
            {
                [ErrorTracking.TrackExceptions] public T Find(T key) => key;
            }

            public class Cache<TItem> where TItem : class
            {
                public TItem Get(Repository<TItem> repository, TItem key) => repository.Find(key);
            }
            """);

        snippet.GeneratorDiagnostics.Should().BeEmpty();
        snippet.Generated.Should().Contain("Find_0<T>(this global::Repository<T> @this, T key) where T : class");
        snippet.Load();
    }
}
