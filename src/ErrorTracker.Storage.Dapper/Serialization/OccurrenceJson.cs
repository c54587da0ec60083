using System.Text.Json.Serialization;
using ErrorTracking.Records;

namespace ErrorTracking.Storage.Serialization;

/// <summary>
/// How occurrences are kept in the payload column: source-generated JSON, enums by name. Deep enough for what
/// capture produces: each level of a rendered value is three levels of JSON and each inner exception two, so the
/// defaults (100 levels, 32 inner exceptions) need about 380; the serializer's default of 64 refused an ordinary
/// linked list, and the failed batch was retried for ever.
/// </summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = OccurrenceJson.Depth)]
[JsonSerializable(typeof(ErrorEvent))]
internal sealed partial class OccurrenceJson : JsonSerializerContext
{
    /// <summary>The JSON depth occurrences are written and read with.</summary>
    public const int Depth = 1024;
}
