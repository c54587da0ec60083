namespace ErrorTracking;

/// <summary>
/// Records an exception that leaves the method (or any method of the type) with the arguments it was called with,
/// then re-throws it, or swallows it with <see cref="Silent"/>: upstream's decorator. The ErrorTracker.Core package's
/// source generator rewrites each call of such a method compiled in a project that references the package; calls
/// made through reflection, delegates, interfaces or from assemblies built without the package are not wrapped
/// (register a tracking proxy with <c>AddErrorTracking&lt;TService&gt;()</c> to cover calls through an interface).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class TrackExceptionsAttribute : Attribute
{
    /// <summary>
    /// Swallow the exception after recording it; the call then returns <see langword="default"/> (a completed task
    /// for <c>Task</c>, an empty sequence for <c>IAsyncEnumerable</c>). Off by default.
    /// </summary>
    public bool Silent { get; set; }
}
