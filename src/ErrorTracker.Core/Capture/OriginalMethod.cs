using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ErrorTracking.Capture;

/// <summary>
/// The method a frame belongs to as the user wrote it. The compiler turns async methods and iterators into
/// state machines (<c>&lt;PlaceAsync&gt;d__5.MoveNext</c>) and lambdas into methods of closure classes
/// (<c>&lt;&gt;c.&lt;Main&gt;b__0_1</c>); this maps them back, as <see cref="Exception.ToString()"/> does for state machines.
/// </summary>
/// <param name="DeclaringType">The user's type that contains the method.</param>
/// <param name="Name">The method name, with <c>.lambda</c> or <c>.LocalName</c> for code nested in it.</param>
/// <param name="Method">The method whose parameters describe the frame.</param>
internal sealed record OriginalMethod(Type? DeclaringType, string Name, MethodBase Method)
{
    public static OriginalMethod Resolve(MethodBase method)
    {
        var declaring = method.DeclaringType;
        var resolved = method;
        if (declaring is not null && IsStateMachine(declaring) && FindKickoffMethod(declaring) is { } kickoff)
        {
            resolved = kickoff;
            declaring = kickoff.DeclaringType;
        }

        while (declaring is not null && declaring.IsNested && IsCompilerGenerated(declaring))
        {
            declaring = declaring.DeclaringType;
        }

        return new OriginalMethod(declaring, UserName(resolved.Name), resolved);
    }

    /// <summary>The declaring type as a frame shows it: <c>Shop.OrderService</c>, or <c>&lt;global&gt;</c> for a global method.</summary>
    public string TypeName => DeclaringType is null ? "<global>" : TypeNames.FormatQualified(DeclaringType);

    /// <summary>
    /// Whether this is <paramref name="other"/> as the user wrote it: the same definition whatever generic arguments
    /// or reflected type either was obtained with.
    /// </summary>
    public bool IsSameMethodAs(OriginalMethod other)
    {
        try
        {
            return Method.HasSameMetadataDefinitionAs(other.Method);
        }
        catch (Exception exception) when (exception is NotImplementedException or NotSupportedException or InvalidOperationException)
        {
            // Methods without metadata (dynamic methods) have no definition to compare.
            return ReferenceEquals(Method, other.Method);
        }
    }

    /// <summary>
    /// <c>&lt;Main&gt;b__0_1</c> becomes <c>Main.lambda</c>, <c>&lt;Main&gt;g__Validate|0_0</c> becomes <c>Main.Validate</c>;
    /// ordinary names are kept. The compiler's ordinals never survive, so edits elsewhere do not rename a frame.
    /// </summary>
    public static string UserName(string name)
    {
        if (name.Length == 0 || name[0] != '<')
        {
            return name;
        }

        var close = FindClosingBracket(name);
        if (close < 0)
        {
            return name;
        }

        var outer = UserName(name[1..close]);
        var rest = name[(close + 1)..];
        if (rest.StartsWith("g__", StringComparison.Ordinal))
        {
            var local = rest[3..];
            var bar = local.IndexOf('|', StringComparison.Ordinal);
            return outer + "." + (bar >= 0 ? local[..bar] : local);
        }

        return rest.StartsWith("b__", StringComparison.Ordinal) ? outer + ".lambda" : outer;
    }

    private static int FindClosingBracket(string name)
    {
        var depth = 0;
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '<')
            {
                depth++;
            }
            else if (name[i] == '>' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsCompilerGenerated(Type type) =>
        type.Name.StartsWith('<') || type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);

    private static bool IsStateMachine(Type type) =>
        IsCompilerGenerated(type)
        && (typeof(IAsyncStateMachine).IsAssignableFrom(type) || typeof(IEnumerator).IsAssignableFrom(type));

    private static MethodInfo? FindKickoffMethod(Type stateMachine)
    {
        var owner = stateMachine.DeclaringType;
        if (owner is null)
        {
            return null;
        }

        var definition = stateMachine.IsGenericType ? stateMachine.GetGenericTypeDefinition() : stateMachine;
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var candidate in owner.GetMethods(all))
        {
            foreach (var attribute in candidate.GetCustomAttributes<StateMachineAttribute>(inherit: false))
            {
                if (attribute.StateMachineType == definition)
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
