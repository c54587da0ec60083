namespace ErrorTracking.AspNetCore;

/// <summary>The request body as the middleware read it after a failure, for the context builder to show.</summary>
internal sealed class RequestBody
{
    /// <summary>The body, parsed or as text, already cut to the limit; <see langword="null"/> when not read.</summary>
    public object? Content { get; set; }
}
