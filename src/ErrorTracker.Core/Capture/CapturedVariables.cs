using ErrorTracking.Records;

namespace ErrorTracking.Capture;

/// <summary>Variables handed over by the caller, and how they were handed over.</summary>
/// <param name="Bag">An anonymous object, a POCO or a dictionary of names and values; <see langword="null"/> for none.</param>
/// <param name="Origin">The label they are shown with.</param>
internal readonly record struct CapturedVariables(object? Bag, VariableOrigin Origin);
