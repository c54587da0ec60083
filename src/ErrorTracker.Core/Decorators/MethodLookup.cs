using System.Reflection;

namespace ErrorTracking.Decorators;

/// <summary>
/// Finds a wrapped method from what generated code can name without <c>methodof</c>: its type, its name and its
/// parameters' names. Runs only when a call has failed.
/// </summary>
internal static class MethodLookup
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static MethodBase? Find(Type declaringType, string name, ReadOnlySpan<KeyValuePair<string, object?>> arguments)
    {
        MethodBase? byName = null;
        foreach (var method in declaringType.GetMethods(All))
        {
            if (method.Name != name)
            {
                continue;
            }

            byName ??= method;
            if (HasParameters(method, arguments))
            {
                return method;
            }
        }

        return byName;
    }

    // The arguments are the parameters in order, except the out parameters the generated code leaves out.
    private static bool HasParameters(MethodInfo method, ReadOnlySpan<KeyValuePair<string, object?>> arguments)
    {
        var next = 0;
        foreach (var parameter in method.GetParameters())
        {
            if (next < arguments.Length && parameter.Name == arguments[next].Key)
            {
                next++;
            }
            else if (!parameter.IsOut)
            {
                return false;
            }
        }

        return next == arguments.Length;
    }
}
