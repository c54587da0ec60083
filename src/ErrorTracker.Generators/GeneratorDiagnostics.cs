using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ErrorTracking.Generators;

/// <summary>
/// The warnings the generator reports at a call of a <c>[TrackExceptions]</c> method it cannot wrap: the call still
/// runs, untracked. Each says why and what to do instead.
/// </summary>
internal static class GeneratorDiagnostics
{
    private const string Category = "ErrorTracker";

    public static readonly DiagnosticDescriptor OpenGenericType = new(
        "ETG001",
        "Call not tracked: its type depends on type parameters",
        "This call of '{0}' is not tracked: the type it is called on ('{1}') depends on the caller's type parameters",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An interceptor is one method per call site and must name the receiver's type: a method of a generic type "
            + "(or a method called on a type parameter) is wrapped only where the call names a concrete type, such as "
            + "Repository<Order>.Find(...). Call it from non-generic code, or record the exception with ErrorTracker.RecordException.");

    public static readonly DiagnosticDescriptor ByRefResult = new(
        "ETG002",
        "Call not tracked: the method returns by reference or returns a ref struct",
        "This call of '{0}' is not tracked: it returns '{1}' {2}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A by-reference result or a ref struct (Span<T>, ReadOnlySpan<T>, ...) cannot be returned as a default value "
            + "when the call is silent nor carried across the wrapper safely. Wrap the work in a method that returns an ordinary "
            + "value, and put [TrackExceptions] on that one.");

    public static readonly DiagnosticDescriptor UncapturableParameter = new(
        "ETG003",
        "Call not tracked: a parameter cannot be recorded",
        "This call of '{0}' is not tracked: parameter '{1}' of type '{2}' cannot be recorded as a value",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Arguments are kept as objects until the exception is recorded; a ref struct (Span<T>, ...), a pointer, or a "
            + "type parameter that allows ref structs cannot be. Pass an array, a string or a Memory<T> instead, or record "
            + "the exception with ErrorTracker.RecordException.");

    public static readonly DiagnosticDescriptor Inaccessible = new(
        "ETG004",
        "Call not tracked: the method is not accessible to generated code",
        "This call of '{0}' is not tracked: {1} is not accessible outside its type",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The wrapper is generated in a class of its own, which can call only what is at least internal: a private "
            + "or protected method, a local function, or one whose signature uses a private type is not wrapped. Make it "
            + "internal. Methods covered only by their class's attribute are skipped silently instead.");

    private static readonly Dictionary<string, DiagnosticDescriptor> ById =
        new[] { OpenGenericType, ByRefResult, UncapturableParameter, Inaccessible }.ToDictionary(d => d.Id);

    public static Diagnostic Create(DiagnosticModel model) =>
        Diagnostic.Create(ById[model.Id], model.Location?.ToLocation(), model.Arguments.Cast<object>().ToArray());
}
