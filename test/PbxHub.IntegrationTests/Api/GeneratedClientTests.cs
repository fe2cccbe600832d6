using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Api;

/// <summary>
/// The OpenAPI document is good enough to generate a client from (docs/api.md): Kiota's C# client, built with a small
/// program, reads a call stored through a real hook and lists the calls, with the values the API itself answers.
/// </summary>
public sealed class GeneratedClientTests
{
    private const long T = 1_700_000_000;

    [Fact]
    public async Task GeneratedClient_ReadsACallAndListsCalls_SeesWhatTheApiAnswers()
    {
        await using var hub = await HubServer.StartAsync();
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("c-client", "89031234567", "84951234567", "101", T, wait: 7, talk: 60));
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("c-missed", "89161112233", "84951234567", "102", T + 600));
        var id = StableIds.CallId(HubServer.AccountId, "c-client");
        var (_, diagnostic, document) = await HubDocument.ReadAsync(hub.BaseUrl);
        Assert.Empty(diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}"));

        var program = await GeneratedClient.BuildAsync(document);
        var printed = await GeneratedClient.RunAsync(hub.DataDirectory, "dotnet", program, hub.BaseUrl, HubServer.ApiKey, id);

        using var seen = JsonDocument.Parse(printed);
        var call = seen.RootElement.GetProperty("Call");
        Assert.Equal(id, call.Str("Id"));
        Assert.Equal(("c-client", "inbound", "ended", "answered"), (call.Str("ProviderCallId"), call.Str("Direction"), call.Str("State"), call.Str("Outcome")));
        Assert.Equal(("+79031234567", "101", 7, 60), (call.Str("From"), call.Str("AnsweredBy"), call.GetProperty("WaitSeconds").GetInt32(), call.GetProperty("TalkSeconds").GetInt32()));
        using var api = await hub.Client.GetJsonAsync($"/api/v1/calls/{id}");
        AssertSame(api.RootElement, call);
        using var list = await hub.Client.GetJsonAsync("/api/v1/calls");
        var listed = seen.RootElement.GetProperty("Listed").EnumerateArray().ToList();
        Assert.Equal(list.RootElement.GetProperty("items").EnumerateArray().Select(c => c.Str("id")), listed.Select(c => c.Str("Id")));
        Assert.Equal(2, listed.Count);
        Assert.Contains(listed, c => c.Str("ProviderCallId") == "c-missed" && c.Str("Outcome") == "missed" && c.Str("From") == "+79161112233");
    }

    /// <summary>Every field the program printed has the API's value (times compared as instants: the client writes its own offset form).</summary>
    private static void AssertSame(JsonElement api, JsonElement client)
    {
        foreach (var field in client.EnumerateObject())
        {
            var name = char.ToLowerInvariant(field.Name[0]) + field.Name[1..];
            var expected = name switch
            {
                "from" or "to" => api.GetProperty(name).ValueKind == JsonValueKind.Null ? null : api.GetProperty(name).Str("number"),
                "answeredBy" => api.GetProperty(name).ValueKind == JsonValueKind.Null ? null : api.GetProperty(name).Str("extension"),
                _ => api.GetProperty(name).ValueKind == JsonValueKind.Null ? null : api.GetProperty(name).ToString(),
            };
            var actual = field.Value.ValueKind == JsonValueKind.Null ? null : field.Value.ToString();
            if (name.EndsWith("At", StringComparison.Ordinal) && expected is not null && actual is not null)
            {
                Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(actual, System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                Assert.True(expected == actual, $"{name}: the API says {expected}, the generated client read {actual}");
            }
        }
    }
}
