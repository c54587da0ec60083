using System.Reflection;
using System.Runtime.CompilerServices;
using ErrorTracking.Capture;
using ErrorTracking.Records;

namespace ErrorTracking.Decorators;

/// <summary>
/// Reads what a delegate closed over. The compiler hoists the variables a lambda captures into fields of a closure
/// ("display") class named exactly as the user wrote them; the enclosing scope's closure hangs off a
/// <c>CS$&lt;&gt;8__locals</c> field and a captured <c>this</c> off <c>&lt;&gt;4__this</c>. A lambda that captured only
/// <c>this</c> is compiled as an instance method of the user's class, so its target is that instance.
/// </summary>
internal static class ClosureReader
{
    private const int MaxValues = 64;
    private const int MaxClosureDepth = 8;
    private const string ParentClosurePrefix = "CS$<>8__locals";
    private const string ThisField = "<>4__this";

    /// <summary>The closed-over variables (<see cref="VariableOrigin.Closure"/>) and the fields of a captured <c>this</c> (<see cref="VariableOrigin.Instance"/>).</summary>
    public static CallValue[] Read(Delegate code)
    {
        var target = code.Target;
        if (target is null)
        {
            return [];
        }

        var values = new List<CallValue>();
        if (IsClosure(target.GetType()))
        {
            ReadClosure(target, values, new HashSet<object>(ReferenceEqualityComparer.Instance), depth: 0);
        }
        else
        {
            InstanceFields.Read(target, values, MaxValues);
        }

        return [.. values];
    }

    private static void ReadClosure(object closure, List<CallValue> values, HashSet<object> seen, int depth)
    {
        if (depth > MaxClosureDepth || !seen.Add(closure))
        {
            return;
        }

        object? outerThis = null;
        var parents = new List<object>();
        foreach (var field in closure.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.Name == ThisField)
            {
                outerThis = field.GetValue(closure);
            }
            else if (field.Name.StartsWith(ParentClosurePrefix, StringComparison.Ordinal))
            {
                if (field.GetValue(closure) is { } parent)
                {
                    parents.Add(parent);
                }
            }
            else if (!field.Name.StartsWith('<') && values.Count < MaxValues && values.TrueForAll(v => v.Name != field.Name))
            {
                // The innermost scope's variable wins over a same-named one of an enclosing scope it shadows.
                values.Add(new CallValue(field.Name, field.GetValue(closure), VariableOrigin.Closure));
            }
        }

        foreach (var parent in parents)
        {
            ReadClosure(parent, values, seen, depth + 1);
        }

        if (outerThis is not null && seen.Add(outerThis))
        {
            InstanceFields.Read(outerThis, values, MaxValues);
        }
    }

    private static bool IsClosure(Type type) =>
        type.Name.StartsWith("<>c", StringComparison.Ordinal) && type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);
}
