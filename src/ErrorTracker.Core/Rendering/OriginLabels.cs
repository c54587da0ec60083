using ErrorTracking.Records;

namespace ErrorTracking.Rendering;

/// <summary>How a variable's origin is named wherever a record is shown: the text traceback, the dashboard, the tool.</summary>
public static class OriginLabels
{
    /// <summary>The label of <paramref name="origin"/>: variable, filter variable, argument, closure, this or static.</summary>
    /// <param name="origin">The origin.</param>
    /// <returns>The label.</returns>
    public static string Label(VariableOrigin origin) => origin switch
    {
        VariableOrigin.Explicit => "variable",
        VariableOrigin.ExceptionFilter => "filter variable",
        VariableOrigin.Static => "static",
        VariableOrigin.Argument => "argument",
        VariableOrigin.Closure => "closure",
        VariableOrigin.Instance => "this",
        _ => origin.ToString(),
    };
}
