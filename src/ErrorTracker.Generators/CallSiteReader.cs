using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ErrorTracking.Generators;

/// <summary>Turns one invocation into what the generator makes of it, if it calls a tracked method.</summary>
internal static class CallSiteReader
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(
        SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat MessageFormat = SymbolDisplayFormat.CSharpShortErrorMessageFormat;

    /// <summary>The cheap syntactic test: any invocation whose target is a name or a member access.</summary>
    public static bool IsCandidate(SyntaxNode node) =>
        node is InvocationExpressionSyntax
        {
            Expression: MemberAccessExpressionSyntax or IdentifierNameSyntax or GenericNameSyntax or MemberBindingExpressionSyntax,
        };

    public static CallSiteModel? Read(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (context.SemanticModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
        {
            return null;
        }

        var called = operation.TargetMethod;
        var method = called.ReducedFrom ?? called;
        if (method.MethodKind != MethodKind.Ordinary && method.MethodKind != MethodKind.LocalFunction)
        {
            return null;
        }

        var silent = TrackedSilent(method);
        if (silent is null)
        {
            return null;
        }

        // base.M() must call that very method, which an interceptor cannot: it would call the override. An expression tree
        // is data, not a call. Neither is a place to wrap.
        if (invocation.Expression is MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax } || InExpressionTree(invocation, context.SemanticModel, cancellationToken))
        {
            return null;
        }

        var ownAttribute = HasTrackAttribute(method);
        var name = method.ToDisplayString(MessageFormat);
        var location = SourceLocation.From(invocation.GetLocation());
        if (!IsAccessible(method, context.SemanticModel.Compilation))
        {
            // A class-level attribute covers its private helpers too; only an explicit one asks for a warning.
            return ownAttribute ? Warn(GeneratorDiagnostics.Inaccessible, location, name, "it") : null;
        }

        // A generic method, or any method of a type that is not fully concrete here, gets a generic interceptor over the
        // type's type parameters and then the method's, declared like the definition: the compiler substitutes the call's.
        var receiverType = operation.Instance?.Type;
        var concrete = !method.IsGenericMethod && !ContainsTypeParameter(method.ContainingType);
        var definition = concrete ? method : method.OriginalDefinition;
        var declaring = definition.ContainingType;
        var typeParameters = concrete ? [] : AllTypeParameters(declaring).Concat(definition.TypeParameters).ToList();
        if ((!method.IsExtensionMethod && receiverType is ITypeParameterSymbol)
            || typeParameters.Select(t => t.Name).Distinct().Count() != typeParameters.Count)
        {
            return Warn(GeneratorDiagnostics.OpenGenericType, location, name, (receiverType ?? method.ContainingType).ToDisplayString(MessageFormat));
        }

        if (definition.ReturnsByRef || definition.ReturnsByRefReadonly)
        {
            return Warn(GeneratorDiagnostics.ByRefResult, location, name, definition.ReturnType.ToDisplayString(MessageFormat), "by reference");
        }

        if (IsRefLike(definition.ReturnType))
        {
            return Warn(GeneratorDiagnostics.ByRefResult, location, name, definition.ReturnType.ToDisplayString(MessageFormat), "(a ref struct)");
        }

        foreach (var parameter in definition.Parameters)
        {
            if (parameter.RefKind != RefKind.Out && (IsRefLike(parameter.Type) || parameter.Type is IPointerTypeSymbol or IFunctionPointerTypeSymbol))
            {
                return Warn(GeneratorDiagnostics.UncapturableParameter, location, name, parameter.Name, parameter.Type.ToDisplayString(MessageFormat));
            }
        }

        var interceptable = context.SemanticModel.GetInterceptableLocation(invocation, cancellationToken);
        if (interceptable is null)
        {
            return null;
        }

        var (shape, result) = Shape(definition.ReturnType);
        var model = new InterceptorModel(
            MethodName: method.Name,
            DeclaringType: declaring.ToDisplayString(TypeFormat),
            Receiver: Receiver(method, declaring),
            IsExtension: method.IsExtensionMethod,
            TypeParameters: TypeList(typeParameters),
            MethodTypeArguments: TypeList(definition.TypeParameters),
            Constraints: Constraints(typeParameters),
            Parameters: definition.Parameters
                .Select(p => new ParameterModel(p.Name, p.Type.ToDisplayString(TypeFormat), RefKindText(p.RefKind)))
                .ToEquatableArray(),
            ReturnType: definition.ReturnsVoid ? "void" : definition.ReturnType.ToDisplayString(TypeFormat),
            Shape: shape,
            ResultType: result,
            Silent: silent.Value);
        return new CallSiteModel(model, new CallLocation(interceptable.Version, interceptable.Data, interceptable.GetDisplayLocation()), null);
    }

    private static CallSiteModel Warn(DiagnosticDescriptor descriptor, SourceLocation? location, params string[] arguments) =>
        new(null, null, new DiagnosticModel(descriptor.Id, location, arguments.ToEquatableArray()));

    /// <summary>Whether the method is tracked, and silently: its own attribute wins over its type's.</summary>
    private static bool? TrackedSilent(IMethodSymbol method) =>
        SilentOf(method.GetAttributes()) ?? SilentOf(method.ContainingType.GetAttributes());

    private static bool? SilentOf(System.Collections.Immutable.ImmutableArray<AttributeData> attributes)
    {
        foreach (var attribute in attributes)
        {
            if (IsTrackAttribute(attribute.AttributeClass))
            {
                foreach (var argument in attribute.NamedArguments)
                {
                    if (argument.Key == "Silent" && argument.Value.Value is bool silent)
                    {
                        return silent;
                    }
                }

                return false;
            }
        }

        return null;
    }

    private static bool HasTrackAttribute(IMethodSymbol method) => method.GetAttributes().Any(a => IsTrackAttribute(a.AttributeClass));

    private static bool IsTrackAttribute(INamedTypeSymbol? type) =>
        type is { Name: "TrackExceptionsAttribute", ContainingNamespace: { Name: "ErrorTracking", ContainingNamespace.IsGlobalNamespace: true } };

    private static bool InExpressionTree(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var function in node.Ancestors().OfType<AnonymousFunctionExpressionSyntax>())
        {
            if (model.GetTypeInfo(function, cancellationToken).ConvertedType is INamedTypeSymbol
                {
                    Name: "Expression", ContainingNamespace: { Name: "Expressions", ContainingNamespace: { Name: "Linq", ContainingNamespace.Name: "System" } },
                })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAccessible(IMethodSymbol method, Compilation compilation)
    {
        if (method.MethodKind == MethodKind.LocalFunction || !compilation.IsSymbolAccessibleWithin(method, compilation.Assembly))
        {
            return false;
        }

        return compilation.IsSymbolAccessibleWithin(method.ReturnType, compilation.Assembly)
            && method.Parameters.All(p => compilation.IsSymbolAccessibleWithin(p.Type, compilation.Assembly));
    }

    private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        IPointerTypeSymbol pointer => ContainsTypeParameter(pointer.PointedAtType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter)
            || (named.ContainingType is { } outer && ContainsTypeParameter(outer)),
        _ => false,
    };

    private static bool IsRefLike(ITypeSymbol type) =>
        type.IsRefLikeType || (type is ITypeParameterSymbol parameter && parameter.AllowsRefLikeType);

    // A struct's instance method takes its receiver by reference: the interceptor's this parameter must too (in for a
    // readonly member, so a readonly receiver needs no copy).
    private static string Receiver(IMethodSymbol method, INamedTypeSymbol declaring)
    {
        if (method.IsStatic)
        {
            return "";
        }

        var type = declaring.ToDisplayString(TypeFormat);
        if (!declaring.IsValueType)
        {
            return "this " + type;
        }

        return method.IsReadOnly || declaring.IsReadOnly ? "this in " + type : "this ref " + type;
    }

    private static (ReturnShape Shape, string Result) Shape(ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_Void)
        {
            return (ReturnShape.Void, "");
        }

        if (type is INamedTypeSymbol named)
        {
            var space = named.ContainingNamespace?.ToDisplayString();
            var argument = named.TypeArguments.Length == 1 ? named.TypeArguments[0].ToDisplayString(TypeFormat) : "";
            switch (space, named.MetadataName)
            {
                case ("System.Threading.Tasks", "Task"):
                    return (ReturnShape.Task, "");
                case ("System.Threading.Tasks", "Task`1"):
                    return (ReturnShape.TaskOfT, argument);
                case ("System.Threading.Tasks", "ValueTask"):
                    return (ReturnShape.ValueTask, "");
                case ("System.Threading.Tasks", "ValueTask`1"):
                    return (ReturnShape.ValueTaskOfT, argument);
                case ("System.Collections.Generic", "IAsyncEnumerable`1"):
                    return (ReturnShape.AsyncEnumerable, argument);
            }
        }

        return (ReturnShape.Value, "");
    }

    private static string RefKindText(RefKind kind) => kind switch
    {
        RefKind.Ref => "ref ",
        RefKind.Out => "out ",
        RefKind.In => "in ",
        RefKind.RefReadOnlyParameter => "ref readonly ",
        _ => "",
    };

    private static System.Collections.Generic.IEnumerable<ITypeParameterSymbol> AllTypeParameters(INamedTypeSymbol? type) =>
        type is null ? [] : AllTypeParameters(type.ContainingType).Concat(type.TypeParameters);

    private static string TypeList(System.Collections.Generic.IReadOnlyCollection<ITypeParameterSymbol> parameters) =>
        parameters.Count == 0 ? "" : "<" + string.Join(", ", parameters.Select(t => t.Name)) + ">";

    private static string Constraints(System.Collections.Generic.IEnumerable<ITypeParameterSymbol> parameters)
    {
        var text = new StringBuilder();
        foreach (var parameter in parameters)
        {
            var clauses = new System.Collections.Generic.List<string>();
            if (parameter.HasReferenceTypeConstraint)
            {
                clauses.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
            }
            else if (parameter.HasUnmanagedTypeConstraint)
            {
                clauses.Add("unmanaged");
            }
            else if (parameter.HasValueTypeConstraint)
            {
                clauses.Add("struct");
            }
            else if (parameter.HasNotNullConstraint)
            {
                clauses.Add("notnull");
            }

            clauses.AddRange(parameter.ConstraintTypes.Select(t => t.ToDisplayString(TypeFormat)));
            if (parameter.HasConstructorConstraint)
            {
                clauses.Add("new()");
            }

            if (parameter.AllowsRefLikeType)
            {
                clauses.Add("allows ref struct");
            }

            if (clauses.Count > 0)
            {
                text.Append(" where ").Append(parameter.Name).Append(" : ").Append(string.Join(", ", clauses));
            }
        }

        return text.ToString();
    }
}
