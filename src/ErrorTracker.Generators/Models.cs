using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ErrorTracking.Generators;

/// <summary>How the wrapped method hands back its result, which decides the shape of its interceptor.</summary>
internal enum ReturnShape
{
    /// <summary><c>void</c>: nothing to return.</summary>
    Void,

    /// <summary>Any other type: returned as it is.</summary>
    Value,

    /// <summary><c>Task</c>: awaited when it has not completed successfully.</summary>
    Task,

    /// <summary><c>Task&lt;T&gt;</c>.</summary>
    TaskOfT,

    /// <summary><c>ValueTask</c>.</summary>
    ValueTask,

    /// <summary><c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTaskOfT,

    /// <summary><c>IAsyncEnumerable&lt;T&gt;</c>: wrapped so failures while it is enumerated are tracked.</summary>
    AsyncEnumerable,
}

/// <summary>One parameter of the wrapped method, as the interceptor declares and forwards it.</summary>
/// <param name="Name">The name as metadata has it (the key the arguments are recorded under).</param>
/// <param name="Type">The fully qualified type, with nullable annotations.</param>
/// <param name="RefKind">The modifier: empty, <c>ref </c>, <c>in </c>, <c>out </c> or <c>ref readonly </c>.</param>
internal sealed record ParameterModel(string Name, string Type, string RefKind)
{
    public bool IsOut => RefKind == "out ";
}

/// <summary>
/// Everything an interceptor's text depends on except where it intercepts: calls with equal models share one
/// interceptor method with several <c>InterceptsLocation</c> attributes.
/// </summary>
/// <param name="MethodName">The wrapped method's name.</param>
/// <param name="DeclaringType">The fully qualified type that declares it (concrete), for <c>typeof</c>.</param>
/// <param name="Receiver">The interceptor's <c>this</c> parameter (<c>this global::S</c>, <c>this ref global::S</c>), empty for a static method.</param>
/// <param name="IsExtension">Whether the wrapped method is a classic extension method (called with its first parameter as <c>this</c>).</param>
/// <param name="TypeParameters">The interceptor's type parameter list (the type's, then the method's: <c>&lt;T, TResult&gt;</c>), or empty.</param>
/// <param name="MethodTypeArguments">The method's own type parameters, as the type argument list it is called with, or empty.</param>
/// <param name="Constraints">The constraint clauses of <paramref name="TypeParameters"/>, or empty.</param>
/// <param name="Parameters">The method's parameters, in declaration order.</param>
/// <param name="ReturnType">The fully qualified return type (<c>void</c> for none).</param>
/// <param name="Shape">How the result comes back.</param>
/// <param name="ResultType">The <c>T</c> of <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c> or <c>IAsyncEnumerable&lt;T&gt;</c>, otherwise empty.</param>
/// <param name="Silent">Whether the exception is swallowed after it is recorded.</param>
internal sealed record InterceptorModel(
    string MethodName,
    string DeclaringType,
    string Receiver,
    bool IsExtension,
    string TypeParameters,
    string MethodTypeArguments,
    string Constraints,
    EquatableArray<ParameterModel> Parameters,
    string ReturnType,
    ReturnShape Shape,
    string ResultType,
    bool Silent);

/// <summary>Where a call is, as the <c>InterceptsLocation</c> attribute names it (version 1: a checksum and a position).</summary>
/// <param name="Version">The encoding version.</param>
/// <param name="Data">The encoded location.</param>
/// <param name="Display">The file, line and column, for a comment a reader can follow.</param>
internal sealed record CallLocation(int Version, string Data, string Display);

/// <summary>A source position kept as plain values, so a diagnostic can be reported from an equatable model.</summary>
internal sealed record SourceLocation(string Path, TextSpan Span, LinePositionSpan Lines)
{
    public static SourceLocation? From(Location location) =>
        location.SourceTree is { } tree ? new SourceLocation(tree.FilePath, location.SourceSpan, location.GetLineSpan().Span) : null;

    public Location ToLocation() => Location.Create(Path, Span, Lines);
}

/// <summary>Why a call of a tracked method is not wrapped, reported as a warning at the call.</summary>
/// <param name="Id">The diagnostic's id.</param>
/// <param name="Location">The call.</param>
/// <param name="Arguments">The message's arguments.</param>
internal sealed record DiagnosticModel(string Id, SourceLocation? Location, EquatableArray<string> Arguments);

/// <summary>What the generator makes of one call of a tracked method: an interceptor, or a diagnostic.</summary>
internal sealed record CallSiteModel(InterceptorModel? Interceptor, CallLocation? Location, DiagnosticModel? Diagnostic);
