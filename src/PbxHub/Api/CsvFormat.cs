namespace PbxHub.Api;

/// <summary>How the export writes its fields, from the query: <c>delimiter</c>, <c>timeZone</c>, <c>numbers</c> (docs/export.md).</summary>
/// <param name="Zone">The zone of the local-time columns; null: each call's account's zone.</param>
internal sealed record CsvFormat(char Delimiter, TimeZoneInfo? Zone, bool NumbersAsText)
{
    public static CsvFormat Read(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        var delimiter = query["delimiter"].ToString() switch
        {
            "" or "comma" => ',',
            "semicolon" => ';',
            var other => Invalid(errors, "delimiter", $"'{other}' is not one of: comma, semicolon", ','),
        };
        var numbers = query["numbers"].ToString() switch
        {
            "" or "plain" => false,
            "text" => true,
            var other => Invalid(errors, "numbers", $"'{other}' is not one of: plain, text", false),
        };
        TimeZoneInfo? zone = null;
        if (query["timeZone"].ToString() is { Length: > 0 } name && !TimeZoneInfo.TryFindSystemTimeZoneById(name, out zone))
        {
            errors["timeZone"] = [$"'{name}' is not a known IANA time zone, such as Europe/Moscow or UTC"];
        }

        return new CsvFormat(delimiter, zone, numbers);
    }

    private static T Invalid<T>(Dictionary<string, string[]> errors, string name, string error, T fallback)
    {
        errors[name] = [error];
        return fallback;
    }
}
