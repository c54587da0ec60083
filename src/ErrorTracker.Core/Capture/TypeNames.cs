using System.Text;

namespace ErrorTracking.Capture;

/// <summary>Type names in C# notation, as a developer reads them: <c>int</c>, <c>List&lt;string&gt;</c>, <c>Outer.Inner</c>.</summary>
internal static class TypeNames
{
    public static string Format(Type type)
    {
        if (type.IsByRef)
        {
            return "ref " + Format(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            var rank = type.GetArrayRank();
            return Format(type.GetElementType()!) + "[" + new string(',', rank - 1) + "]";
        }

        if (type.IsPointer)
        {
            return Format(type.GetElementType()!) + "*";
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Format(underlying) + "?";
        }

        var keyword = Keyword(type);
        if (keyword is not null)
        {
            return keyword;
        }

        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.Name.StartsWith("<>f__AnonymousType", StringComparison.Ordinal))
        {
            return "anonymous";
        }

        var builder = new StringBuilder();
        AppendName(builder, type, type.IsGenericType ? type.GetGenericArguments() : []);
        return builder.ToString();
    }

    /// <summary>The declaring type of a frame, without namespace noise removed: <c>Shop.Orders.OrderService</c>.</summary>
    public static string FormatQualified(Type type)
    {
        var name = Format(type);
        var ns = type.Namespace;
        return string.IsNullOrEmpty(ns) ? name : ns + "." + name;
    }

    private static void AppendName(StringBuilder builder, Type type, Type[] arguments)
    {
        var ownArgumentCount = arguments.Length;
        if (type.IsNested && type.DeclaringType is { } declaring)
        {
            var declaringArgumentCount = declaring.IsGenericTypeDefinition || declaring.IsGenericType
                ? declaring.GetGenericArguments().Length
                : 0;
            AppendName(builder, declaring, arguments[..Math.Min(declaringArgumentCount, arguments.Length)]);
            builder.Append('.');
            arguments = arguments[Math.Min(declaringArgumentCount, arguments.Length)..];
            ownArgumentCount = arguments.Length;
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        builder.Append(tick >= 0 ? name[..tick] : name);
        if (ownArgumentCount > 0 && tick >= 0)
        {
            builder.Append('<');
            for (var i = 0; i < arguments.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(", ");
                }

                builder.Append(Format(arguments[i]));
            }

            builder.Append('>');
        }
    }

    private static string? Keyword(Type type) => type.IsEnum ? null : Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => "bool",
        TypeCode.Byte => "byte",
        TypeCode.SByte => "sbyte",
        TypeCode.Char => "char",
        TypeCode.Int16 => "short",
        TypeCode.UInt16 => "ushort",
        TypeCode.Int32 => "int",
        TypeCode.UInt32 => "uint",
        TypeCode.Int64 => "long",
        TypeCode.UInt64 => "ulong",
        TypeCode.Single => "float",
        TypeCode.Double => "double",
        TypeCode.Decimal => "decimal",
        TypeCode.String => "string",
        _ when type == typeof(object) => "object",
        _ when type == typeof(void) => "void",
        _ => null,
    };
}
