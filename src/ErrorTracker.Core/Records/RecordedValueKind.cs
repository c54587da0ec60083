namespace ErrorTracking.Records;

/// <summary>What a <see cref="RecordedValue"/> holds.</summary>
public enum RecordedValueKind
{
    /// <summary>The value was <see langword="null"/>.</summary>
    Null,

    /// <summary>A value shown as text: strings, numbers, enums, dates and anything rendered through <c>ToString</c>.</summary>
    Scalar,

    /// <summary>The value was replaced by the mask because its name matched a masking rule.</summary>
    Masked,

    /// <summary>An object shown by its readable properties and public fields.</summary>
    Object,

    /// <summary>A list, array or set; its items are the children.</summary>
    Collection,

    /// <summary>A dictionary or JSON object; the children are its entries.</summary>
    Dictionary,

    /// <summary>A reference back to an object already being rendered higher up.</summary>
    Cycle,

    /// <summary>Not rendered further because the nesting depth or the rendering budget ran out.</summary>
    Truncated,

    /// <summary>Deliberately not walked (delegates, tasks, streams, service providers, connections, lazy sequences).</summary>
    Skipped,

    /// <summary>Reading the value threw; the text names the exception type.</summary>
    Error,
}
