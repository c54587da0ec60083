namespace ErrorTracking.Context;

/// <summary>What the context builders know about an occurrence being captured; raw values, masked after the builders ran.</summary>
public sealed class CaptureContext
{
    internal CaptureContext(Exception? exception) => Exception = exception;

    /// <summary>The exception being recorded, or <see langword="null"/> for a captured message.</summary>
    public Exception? Exception { get; }

    /// <summary>The request's host; empty outside a request.</summary>
    public string Host { get; set; } = "";

    /// <summary>The request's path; empty outside a request.</summary>
    public string Path { get; set; } = "";

    /// <summary>The request's method; empty outside a request.</summary>
    public string Method { get; set; } = "";

    /// <summary>The full request URL, when there is a request.</summary>
    public string? Url { get; set; }

    /// <summary>Request data: query, form, headers, cookies, body... as names and raw values.</summary>
    public IDictionary<string, object?> RequestData { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>
    /// Sets request data under a label of the integration's own, such as <c>headers</c> or <c>cookies</c>. The label is
    /// never masked by name, whatever the masking rule says (the default key list would mask a section called
    /// <c>cookies</c> whole); each entry is still masked by its own name, and its text by shape, like any request data.
    /// </summary>
    /// <param name="label">The section's label.</param>
    /// <param name="entries">
    /// Its names and raw values. A value that must be masked whatever the rule says (a credential header, a cookie)
    /// is replaced by the mask before it is given here.
    /// </param>
    public void SetRequestSection(string label, IEnumerable<KeyValuePair<string, object?>> entries)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(entries);
        RequestData[label] = new RequestSection([.. entries]);
    }

    /// <summary>
    /// Sets request data that is text the integration could not parse, such as a body sent as JSON that is not valid
    /// JSON, or one cut at the size limit. It is masked like any text and, because a broken structure can hide where
    /// a value starts, withheld whole when it still names a secret whose value masking could not find.
    /// </summary>
    /// <param name="label">The label, such as <c>body</c>.</param>
    /// <param name="text">The text as received.</param>
    public void SetUnparsedText(string label, string text)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(text);
        RequestData[label] = new UnparsedText(text);
    }

    /// <summary>Any other key/values worth keeping with the occurrence.</summary>
    public IDictionary<string, object?> Extra { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);
}
