using System.Reflection;

namespace ErrorTracking.Capture;

/// <summary>The arguments a method ran with when an exception was thrown, as an integration handed them over.</summary>
/// <param name="Exception">The exception thrown while the method ran.</param>
/// <param name="Method">The method.</param>
/// <param name="Values">Its arguments by parameter name, rendered only when the exception is recorded.</param>
internal sealed record MethodArguments(Exception Exception, MethodBase Method, KeyValuePair<string, object?>[] Values);
