using System.Reflection;
using System.Runtime.CompilerServices;
using ErrorTracking.Records;

namespace ErrorTracking.Capture;

/// <summary>
/// Reads the static fields of a frame's declaring type: .NET's nearest thing to a Python module's globals.
/// Only the application's state is shown: constants, compiler-generated fields (lambda caches, backing fields of
/// events), delegates and fields holding framework machinery (a <c>Regex</c>, a logger, an <c>HttpClient</c>, a lock
/// object, a <c>Lazy</c>) are left out; values, collections and the application's own types are kept. The count and
/// the size of each value are bounded.
/// </summary>
internal sealed class StaticFieldReader
{
    private const int MaxFieldsPerType = 50;
    private const int MaxNodesPerField = 500;
    private readonly ValueRenderer _renderer;

    public StaticFieldReader(ValueRenderer renderer) => _renderer = renderer;

    public IReadOnlyList<CapturedVariable> Read(Type type, CaptureBudget budget)
    {
        if (type.ContainsGenericParameters)
        {
            return [];
        }

        var variables = new List<CapturedVariable>();
        const BindingFlags flags = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var field in type.GetFields(flags))
        {
            if (field.IsLiteral || field.Name.Contains('<', StringComparison.Ordinal)
                || field.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) || field.FieldType.IsByRefLike
                || IsMachinery(field.FieldType))
            {
                continue;
            }

            if (variables.Count == MaxFieldsPerType)
            {
                break;
            }

            RecordedValue value;
            if (_renderer.Masker.TryMaskName(field.Name, out var replacement))
            {
                value = RecordedValue.Masked(replacement);
            }
            else
            {
                try
                {
                    value = _renderer.RenderNamed(field.Name, field.GetValue(null), budget, MaxNodesPerField);
                }
                catch (Exception exception)
                {
                    var error = exception is TargetInvocationException or TypeInitializationException && exception.InnerException is not null
                        ? exception.InnerException
                        : exception;
                    value = ValueRenderer.Failed(error);
                }
            }

            variables.Add(new CapturedVariable(field.Name, value, VariableOrigin.Static));
        }

        return variables;
    }

    /// <summary>A framework type that is not data: what the field holds is plumbing, the same on every run.</summary>
    internal static bool IsMachinery(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return true;
        }

        if (type.IsPrimitive || type.IsEnum || type.IsArray || type == typeof(string) || type == typeof(decimal)
            || typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
        {
            return false;
        }

        // FullName, not GetName(): it is kept by the assembly, where GetName() builds a new AssemblyName every time.
        var assembly = type.Assembly.FullName ?? "";
        var framework = type.Assembly == typeof(object).Assembly
            || assembly.StartsWith("System.", StringComparison.Ordinal)
            || assembly.StartsWith("Microsoft.", StringComparison.Ordinal);
        return framework && !IsFrameworkValue(type);
    }

    private static bool IsFrameworkValue(Type type) =>
        type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly)
        || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(Uri) || type == typeof(Version)
        || (type.IsValueType && type.IsGenericType && type.GetGenericTypeDefinition().FullName?.StartsWith("System.ValueTuple", StringComparison.Ordinal) == true);
}
