using System.Text;
using System.Text.Json;

namespace PbxHub.Calls;

/// <summary>
/// The JSON of a stored event, as delivered and streamed: the same fields in the same order as a
/// serialised <see cref="CallEvent"/>, with the stored snapshot of the call embedded as it was stored.
/// </summary>
internal static class EventJson
{
    public static string Compose(string id, string type, DateTimeOffset occurredAt, string account, string callJson, string? legJson)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = CallJson.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("type", type);
            writer.WriteString("occurredAt", CallJson.Utc(occurredAt));
            writer.WriteString("account", account);
            writer.WritePropertyName("call");
            writer.WriteRawValue(callJson, skipInputValidation: true);
            writer.WritePropertyName("leg");
            if (legJson is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteRawValue(legJson, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
