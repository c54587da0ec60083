using System.Reflection;
using ErrorTracking.Records;

namespace ErrorTracking.Capture;

/// <summary>The values a method ran with when an exception was thrown, as an integration or a decorator handed them over.</summary>
/// <param name="Exception">The exception thrown while the method ran.</param>
/// <param name="Method">The method.</param>
/// <param name="Values">Its arguments and captured variables, rendered only when the exception is recorded.</param>
internal sealed record MethodArguments(Exception Exception, MethodBase Method, CallValue[] Values);

/// <summary>One value a method ran with, and how it was obtained.</summary>
/// <param name="Name">The name as the user wrote it.</param>
/// <param name="Value">The live value.</param>
/// <param name="Origin">The label it is shown with.</param>
internal readonly record struct CallValue(string Name, object? Value, VariableOrigin Origin);
