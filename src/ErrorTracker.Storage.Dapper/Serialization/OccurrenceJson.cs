using System.Text.Json.Serialization;
using ErrorTracking.Records;

namespace ErrorTracking.Storage.Serialization;

/// <summary>How occurrences are kept in the payload column: source-generated JSON, enums by name.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorEvent))]
internal sealed partial class OccurrenceJson : JsonSerializerContext;
