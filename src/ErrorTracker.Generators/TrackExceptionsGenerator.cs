using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ErrorTracking.Generators;

/// <summary>
/// Wraps every call, compiled in this project, of a method marked <c>[ErrorTracking.TrackExceptions]</c> (or of a
/// method of a type marked with it) in an interceptor that records an exception leaving the call with the call's
/// arguments. Needs <c>ErrorTracking.Generated</c> in the project's <c>InterceptorsNamespaces</c>, which the
/// ErrorTracker.Core package's build props add.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class TrackExceptionsGenerator : IIncrementalGenerator
{
    private static readonly string Version = typeof(TrackExceptionsGenerator).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var calls = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => CallSiteReader.IsCandidate(node), CallSiteReader.Read)
            .Where(static call => call is not null)
            .Select(static (call, _) => call!);

        context.RegisterSourceOutput(calls.Where(static c => c.Diagnostic is not null),
            static (output, call) => output.ReportDiagnostic(GeneratorDiagnostics.Create(call.Diagnostic!)));

        var interceptors = calls
            .Where(static c => c.Interceptor is not null)
            .Collect();
        context.RegisterSourceOutput(interceptors, static (output, calls) => Generate(output, calls));
    }

    private static void Generate(SourceProductionContext output, ImmutableArray<CallSiteModel> calls)
    {
        if (calls.IsDefaultOrEmpty)
        {
            return;
        }

        // Calls whose interceptor would read the same share one method with one attribute per call.
        var grouped = new List<(InterceptorModel Model, IReadOnlyList<CallLocation> Locations)>();
        var index = new Dictionary<InterceptorModel, List<CallLocation>>();
        foreach (var call in calls)
        {
            if (!index.TryGetValue(call.Interceptor!, out var locations))
            {
                locations = [];
                index.Add(call.Interceptor!, locations);
                grouped.Add((call.Interceptor!, locations));
            }

            locations.Add(call.Location!);
        }

        output.AddSource("TrackedCalls.g.cs", InterceptorWriter.Write(grouped, Version));
    }
}
