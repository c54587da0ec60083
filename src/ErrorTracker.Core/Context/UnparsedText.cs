namespace ErrorTracking.Context;

/// <summary>Text an integration could not parse (<see cref="CaptureContext.SetUnparsedText"/>), masked by the stricter rule.</summary>
/// <param name="Text">The text as received.</param>
internal sealed record UnparsedText(string Text);
