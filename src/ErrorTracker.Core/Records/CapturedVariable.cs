namespace ErrorTracking.Records;

/// <summary>A variable shown under a frame.</summary>
/// <param name="Name">The variable's name as the user wrote it.</param>
/// <param name="Value">The rendered, masked value.</param>
/// <param name="Origin">How the value was obtained.</param>
public sealed record CapturedVariable(string Name, RecordedValue Value, VariableOrigin Origin);
