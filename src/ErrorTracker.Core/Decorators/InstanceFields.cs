using System.Reflection;
using System.Runtime.CompilerServices;
using ErrorTracking.Capture;
using ErrorTracking.Records;

namespace ErrorTracking.Decorators;

/// <summary>
/// Reads the fields of an instance a method ran on, as <see cref="VariableOrigin.Instance"/> values: those its type
/// and its base types declare, auto-properties under their property names, without delegates (event handlers) or
/// the compiler's other fields.
/// </summary>
internal static class InstanceFields
{
    private const string BackingFieldSuffix = ">k__BackingField";

    public static void Read(object instance, List<CallValue> values, int maxValues)
    {
        for (var type = instance.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            if (type.Assembly == typeof(object).Assembly)
            {
                // Framework base classes hold the framework's state, not the application's.
                return;
            }

            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (values.Count >= maxValues)
                {
                    return;
                }

                if (Name(field) is { } name && !typeof(Delegate).IsAssignableFrom(field.FieldType) && values.TrueForAll(v => v.Name != name))
                {
                    values.Add(new CallValue(name, field.GetValue(instance), VariableOrigin.Instance));
                }
            }
        }
    }

    private static string? Name(FieldInfo field)
    {
        var name = field.Name;
        if (name.StartsWith('<'))
        {
            return name.EndsWith(BackingFieldSuffix, StringComparison.Ordinal) ? name[1..^BackingFieldSuffix.Length] : null;
        }

        return field.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) ? null : name;
    }
}
