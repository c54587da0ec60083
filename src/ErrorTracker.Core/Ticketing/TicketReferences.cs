using System.Text.Json;

namespace ErrorTracking.Ticketing;

/// <summary>
/// The tickets of one group, one per configured ticketing (keyed by <see cref="ITicketing.Name"/>), as they are
/// kept in the group's single <c>TicketReference</c> field: a small JSON object.
/// </summary>
internal static class TicketReferences
{
    public static Dictionary<string, string> Parse(string? stored)
    {
        if (string.IsNullOrWhiteSpace(stored))
        {
            return new(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(stored) is { } references
                ? new(references, StringComparer.Ordinal)
                : new(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            // Written by hand or by something else: better a new ticket than none.
            return new(StringComparer.Ordinal);
        }
    }

    public static string Format(IReadOnlyDictionary<string, string> references) => JsonSerializer.Serialize(references);
}
