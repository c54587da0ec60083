namespace ErrorTracking.Records;

/// <summary>A parameter of a frame's method.</summary>
/// <param name="TypeName">The parameter type in C# notation (<c>int</c>, <c>List&lt;string&gt;</c>).</param>
/// <param name="Name">The parameter name.</param>
public sealed record FrameParameter(string TypeName, string Name);
