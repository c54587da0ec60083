using System.Reflection;
using System.Runtime.CompilerServices;
using ErrorTracking.Records;

namespace ErrorTracking.Capture;

/// <summary>
/// Reads the static fields of a frame's declaring type: .NET's nearest thing to a Python module's globals.
/// Constants and compiler-generated fields are left out; the count and the size of each value are bounded.
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
                || field.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) || field.FieldType.IsByRefLike)
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
}
