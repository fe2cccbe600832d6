using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>Reading what the hub answers, the way a client would.</summary>
internal static class HttpJson
{
    public static async Task<JsonDocument> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"HTTP {(int)response.StatusCode} body is not JSON: {text}", ex);
        }
    }

    /// <summary>GETs a JSON document, asserting the status first (with the body in the failure message).</summary>
    public static async Task<JsonDocument> GetJsonAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }

    /// <summary>Sends one hook request: GET with the query, or POST with it as a form body.</summary>
    public static Task<HttpResponseMessage> SendHookAsync(this HttpClient client, string hookPath, string fields, bool post = false) =>
        post
            ? client.PostAsync(hookPath, new StringContent(fields, Encoding.UTF8, "application/x-www-form-urlencoded"))
            : client.GetAsync(hookPath + "?" + fields);

    /// <summary>Sends hook requests one after another, asserting each is answered 200 {"success": true}.</summary>
    public static async Task SendHooksAsync(this HttpClient client, string hookPath, IEnumerable<string> requests)
    {
        foreach (var fields in requests)
        {
            using var response = await client.SendHookAsync(hookPath, fields);
            await AssertSipuniSuccessAsync(response, fields);
        }
    }

    public static async Task AssertSipuniSuccessAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what}: expected 200, got {(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        Assert.True(json.RootElement.GetProperty("success").GetBoolean(), $"{what}: answered {text}");
    }

    /// <summary>
    /// Asserts Sipuni's and HookType's answer to a request stored in quarantine (docs/quarantine.md): 200, <c>success</c>
    /// true so the provider keeps sending, <c>quarantined</c> true; returns the <c>error</c> it names.
    /// </summary>
    public static async Task<string> AssertQuarantinedAnswerAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what}: expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        Assert.True(json.RootElement.GetProperty("success").GetBoolean(), $"{what}: {text}");
        Assert.True(json.RootElement.GetProperty("quarantined").GetBoolean(), $"{what}: {text}");
        var error = json.RootElement.Str("error");
        Assert.False(string.IsNullOrWhiteSpace(error), $"{what}: no error text in {text}");
        return error!;
    }

    /// <summary>Asserts an RFC 9457 problem answer: status, content type, and the status in the document.</summary>
    public static async Task<JsonDocument> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(text);
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("title").GetString()));
        return json;
    }

    public static string? Str(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Reads the hub's SQLite file directly: what is stored, whatever the API shows.</summary>
internal static class HubDatabase
{
    public sealed record RawEventRow(long Seq, string Account, string Kind, string? CallKey, string Query, string Body, string? Reason);

    public static async Task<IReadOnlyList<RawEventRow>> RawEventsAsync(string dataDirectory)
    {
        if (!TestStorage.Exists(dataDirectory))
        {
            return [];
        }

        await using var connection = await TestStorage.OpenAsync(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, account, kind, call_key, query, body, reason FROM raw_events ORDER BY seq";
        var rows = new List<RawEventRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new RawEventRow(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.GetValue(5) is byte[] bytes ? Encoding.UTF8.GetString(bytes) : reader.GetValue(5).ToString() ?? "", reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return rows;
    }
}
