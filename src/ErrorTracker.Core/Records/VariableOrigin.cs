namespace ErrorTracking.Records;

/// <summary>Where a captured variable came from. .NET cannot read a frame's locals after the fact, so each value says honestly how it was obtained.</summary>
public enum VariableOrigin
{
    /// <summary>Passed by the caller to <c>RecordException</c> or <c>CaptureMessage</c>.</summary>
    Explicit,

    /// <summary>Passed to <c>Capture</c> from an exception filter, while the failing stack was still intact.</summary>
    ExceptionFilter,

    /// <summary>A static field of the frame's declaring type (the nearest .NET has to a module's globals).</summary>
    Static,

    /// <summary>An argument of the frame's method, captured automatically.</summary>
    Argument,

    /// <summary>A variable a lambda or local function closed over.</summary>
    Closure,

    /// <summary>A field of the instance (<c>this</c>) the method ran on.</summary>
    Instance,
}
