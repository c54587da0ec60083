using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Data;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ErrorTracking.Capture;

/// <summary>Classifies types for rendering, caching the answer per type for the tracker's lifetime.</summary>
internal sealed class TypeShapes
{
    // Types whose instances are walked only at a cost or a risk: executing code, holding connections, or being
    // whole object graphs of a framework (an HttpContext, a DbContext).
    private static readonly string[] SkippedTypeNames =
    [
        "Microsoft.EntityFrameworkCore.DbContext",
        "Microsoft.AspNetCore.Http.HttpContext",
        "Microsoft.AspNetCore.Http.HttpRequest",
        "Microsoft.AspNetCore.Http.HttpResponse",
        "Microsoft.Extensions.Logging.ILogger",
        "Microsoft.Extensions.Configuration.IConfiguration",
        "System.Net.Http.HttpClient",
        "System.Net.Http.HttpMessageInvoker",
    ];

    private readonly ConcurrentDictionary<Type, TypeShape> _shapes = new();

    public TypeShape Get(Type type) => _shapes.GetOrAdd(type, Classify);

    private static TypeShape Classify(Type type)
    {
        var name = TypeNames.Format(type);
        if (type == typeof(string))
        {
            return TypeShape.Of(TypeShapeKind.Text, name);
        }

        if (IsScalar(type))
        {
            return TypeShape.Of(TypeShapeKind.Scalar, name);
        }

        if (type == typeof(Uri))
        {
            return TypeShape.Of(TypeShapeKind.Uri, name);
        }

        if (type == typeof(JsonElement))
        {
            return TypeShape.Of(TypeShapeKind.Json, name);
        }

        if (SkipReason(type) is { } reason)
        {
            return new TypeShape(TypeShapeKind.Skipped, name, reason, []);
        }

        if (type == typeof(DictionaryEntry) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>)))
        {
            // Its ToString would show "[password, hunter2]": render it as an entry so the key is checked.
            return new TypeShape(TypeShapeKind.Pair, name, null, [type.GetProperty("Key")!, type.GetProperty("Value")!]);
        }

        if (typeof(ITuple).IsAssignableFrom(type))
        {
            return TypeShape.Of(TypeShapeKind.Tuple, name);
        }

        if (typeof(NameValueCollection).IsAssignableFrom(type))
        {
            return TypeShape.Of(TypeShapeKind.NameValueCollection, name);
        }

        var materialized = typeof(ICollection).IsAssignableFrom(type) || ImplementsGeneric(type, typeof(IReadOnlyCollection<>))
            || ImplementsGeneric(type, typeof(ICollection<>));
        if (typeof(IDictionary).IsAssignableFrom(type))
        {
            return TypeShape.Of(TypeShapeKind.Dictionary, name);
        }

        if (materialized && KeyValueType(type) is { } pairType)
        {
            return new TypeShape(TypeShapeKind.KeyValuePairs, name, null,
                [pairType.GetProperty("Key")!, pairType.GetProperty("Value")!]);
        }

        if (materialized)
        {
            return TypeShape.Of(TypeShapeKind.Collection, name);
        }

        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            return new TypeShape(TypeShapeKind.Skipped, name, "lazy sequence, not enumerated", []);
        }

        var members = ReadableMembers(type);
        var isFrameworkType = type.Namespace is { } ns && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal));
        if (members.Count == 0 || (isFrameworkType && OverridesToString(type)))
        {
            return TypeShape.Of(TypeShapeKind.ToStringObject, name);
        }

        return new TypeShape(TypeShapeKind.Object, name, null, members);
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(DateTime)
        || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid)
        || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(Version)
        || type == typeof(System.Numerics.BigInteger) || type == typeof(Half) || type == typeof(Int128)
        || type == typeof(UInt128);

    private static string? SkipReason(Type type)
    {
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return "delegate";
        }

        if (typeof(Task).IsAssignableFrom(type) || type == typeof(ValueTask)
            || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return "task";
        }

        if (typeof(Stream).IsAssignableFrom(type) || typeof(TextReader).IsAssignableFrom(type) || typeof(TextWriter).IsAssignableFrom(type))
        {
            return "stream";
        }

        if (type == typeof(CancellationToken) || type == typeof(CancellationTokenSource) || typeof(WaitHandle).IsAssignableFrom(type)
            || type == typeof(Thread))
        {
            return "synchronization primitive";
        }

        if (typeof(IServiceProvider).IsAssignableFrom(type))
        {
            return "service provider";
        }

        if (typeof(IDbConnection).IsAssignableFrom(type) || typeof(IDbTransaction).IsAssignableFrom(type) || typeof(IDbCommand).IsAssignableFrom(type))
        {
            return "database connection";
        }

        if (typeof(MemberInfo).IsAssignableFrom(type) || typeof(Assembly).IsAssignableFrom(type) || typeof(Module).IsAssignableFrom(type))
        {
            return "reflection object";
        }

        if (type.Namespace is "Castle.Proxies" or "Castle.DynamicProxy")
        {
            // Lazy-loading proxies run database queries from their getters.
            return "proxy";
        }

        if (type.IsPointer || type == typeof(IntPtr) || type == typeof(UIntPtr) || type.IsByRefLike)
        {
            return "pointer";
        }

        if (ImplementsGeneric(type, typeof(IAsyncEnumerable<>)) || typeof(IEnumerator).IsAssignableFrom(type))
        {
            return "lazy sequence, not enumerated";
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.FullName is { } fullName && SkippedTypeNames.Contains(fullName, StringComparer.Ordinal))
            {
                return "framework object";
            }
        }

        foreach (var implemented in type.GetInterfaces())
        {
            if (implemented.FullName is { } fullName && SkippedTypeNames.Contains(fullName, StringComparer.Ordinal))
            {
                return "framework object";
            }
        }

        return null;
    }

    private static Type? KeyValueType(Type type)
    {
        foreach (var implemented in type.GetInterfaces().Append(type))
        {
            if (implemented.IsGenericType && implemented.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            {
                var element = implemented.GetGenericArguments()[0];
                if (element.IsGenericType && element.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
                {
                    return element;
                }
            }
        }

        return null;
    }

    private static bool ImplementsGeneric(Type type, Type definition) =>
        (type.IsGenericType && type.GetGenericTypeDefinition() == definition)
        || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);

    private static bool OverridesToString(Type type) =>
        type.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType is { } declaring && declaring != typeof(object)
        && declaring != typeof(ValueType);

    private static List<MemberInfo> ReadableMembers(Type type)
    {
        var members = new List<MemberInfo>();
        foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.CanRead && property.GetIndexParameters().Length == 0 && property.GetMethod is { IsPublic: true }
                && !property.PropertyType.IsByRefLike && !property.IsDefined(typeof(CompilerGeneratedAttribute))
                && property.Name != "EqualityContract")
            {
                members.Add(property);
            }
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public))
        {
            if (!field.FieldType.IsByRefLike)
            {
                members.Add(field);
            }
        }

        return members;
    }
}
