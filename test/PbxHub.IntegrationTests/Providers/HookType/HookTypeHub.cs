using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Providers.HookType;

/// <summary>A hub with a HookType account beside the default Sipuni one, and HookType's JSON posts.</summary>
internal static class HookTypeHub
{
    public const string AccountId = "acme-hooktype";
    public const string Secret = "ht-secret-0123456789";
    public const string HookPath = $"/hooks/{AccountId}/{Secret}";

    public static Task<HubServer> StartAsync() => HubServer.StartAsync(Settings());

    /// <summary>The HookType account as configuration keys, beside the Sipuni account every test hub has.</summary>
    public static Dictionary<string, string> Settings() => new()
    {
        ["PbxHub:Accounts:1:Id"] = AccountId,
        ["PbxHub:Accounts:1:Provider"] = "hooktype",
        ["PbxHub:Accounts:1:Secret"] = Secret,
        ["PbxHub:Accounts:1:TimeZone"] = "Europe/Moscow",
        ["PbxHub:Accounts:1:Country"] = "RU",
    };

    /// <summary>The spec's example of a hook type, byte for byte.</summary>
    public static byte[] Example(string hookType) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hooktype", hookType + ".json"));

    public static string CallUrl(string sessionId) => $"/api/v1/calls/{StableIds.CallId(AccountId, sessionId)}";

    public static string Hook(string session, string hookType, params (string Name, object Value)[] fields)
    {
        var all = new Dictionary<string, object> { ["SessionID"] = session, ["HookType"] = hookType };
        foreach (var (name, value) in fields)
        {
            all[name] = value;
        }

        return JsonSerializer.Serialize(all);
    }

    public static async Task<HttpResponseMessage> PostAsync(this HubServer hub, byte[] body, string? contentType = "application/json", string path = HookPath)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await hub.Client.PostAsync(path, content);
    }

    public static Task<HttpResponseMessage> PostAsync(this HubServer hub, string json, string? contentType = "application/json") =>
        hub.PostAsync(System.Text.Encoding.UTF8.GetBytes(json), contentType);

    /// <summary>Posts and asserts the answer is 200 <c>{"success": true}</c>.</summary>
    public static async Task PostAcceptedAsync(this HubServer hub, byte[] body, string? contentType = "application/json")
    {
        using var response = await hub.PostAsync(body, contentType);
        await HttpJson.AssertSipuniSuccessAsync(response, System.Text.Encoding.UTF8.GetString(body));
    }

    public static Task PostAcceptedAsync(this HubServer hub, string json, string? contentType = "application/json") =>
        hub.PostAcceptedAsync(System.Text.Encoding.UTF8.GetBytes(json), contentType);

    /// <summary>Asserts a 400 (or other) <c>{"success": false, "error": …}</c> answer and returns the error.</summary>
    public static async Task<string> AssertFailureAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        Assert.False(json.RootElement.GetProperty("success").GetBoolean(), text);
        return json.RootElement.Str("error") ?? throw new InvalidOperationException($"no error in {text}");
    }
}
