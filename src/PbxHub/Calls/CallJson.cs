using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PbxHub.Calls;

/// <summary>
/// The JSON shape of records and events: camelCase, nulls written, times in UTC ISO 8601 with Z, and
/// text escaped one way everywhere (stored records, webhooks, the stream, every API answer): only what
/// JSON requires, so "+7…" and Cyrillic names read as they are (docs/json.md).
/// </summary>
internal static class CallJson
{
    /// <summary>What ASP.NET Core's own JSON answers use: these bodies go to HTTP clients, never into an HTML page.</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static readonly JsonSerializerOptions Options = Create();

    public static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Encoder = Encoder,
        };
        options.Converters.Add(new UtcConverter());
        return options;
    }

    /// <summary>Applies the shape to ASP.NET Core's own options, so the API writes what the store holds.</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Encoder = Encoder;
        options.Converters.Add(new UtcConverter());
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    public static string Utc(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private sealed class UtcConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Utc(value));
    }
}
