using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Recordings;

/// <summary>A hub that fetches recordings quickly (short polls and retries), and a Sipuni call that names a recording link.</summary>
internal static class RecordingHub
{
    public static Task<HubServer> StartAsync(
        RecordingOrigin origin, IDictionary<string, string>? more = null, string? dataDirectory = null, TimeProvider? time = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["PbxHub:Accounts:0:Recordings:Hosts"] = origin.Host,
            ["PbxHub:Recordings:PollInterval"] = "00:00:00.050",
            ["PbxHub:Recordings:Retries"] = "00:00:00.100, 00:00:00.100, 00:00:00.100",
            ["PbxHub:Recordings:FetchTimeout"] = "00:00:05",
            ["PbxHub:Recordings:ClaimFor"] = "00:00:06",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return HubServer.StartAsync(settings, time is null ? null : b => b.Services.AddSingleton(time), dataDirectory);
    }

    /// <summary>Sends an answered inbound Sipuni call whose hang-up carries <paramref name="link"/>; returns PbxHub's call id.</summary>
    public static async Task<string> SendCallAsync(HubServer hub, string callKey, string link)
    {
        await SendCallAsync(hub.Client, hub.HookPath, callKey, link);
        return StableIds.CallId(HubServer.AccountId, callKey);
    }

    /// <summary>The same call sent to any hub (a child process too) on its hook path.</summary>
    public static async Task SendCallAsync(HttpClient client, string hookPath, string callKey, string link)
    {
        const long start = 1_700_000_000;
        var hooks = SipuniHooks.AnsweredInbound(callKey, "79031234567", "74951234567", "101", start);
        hooks[^1] += "&" + SipuniHooks.Encode(("call_record_link", link));
        foreach (var query in hooks)
        {
            using var response = await client.GetAsync($"{hookPath}?{query}");
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>The record's <c>recording</c> object once it is no longer pending (the fetcher works in the background).</summary>
    public static Task<JsonElement> SettledAsync(HubServer hub, string callId, TimeSpan? within = null) => SettledAsync(hub.Client, callId, within);

    public static async Task<JsonElement> SettledAsync(HttpClient client, string callId, TimeSpan? within = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var call = await client.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}");
            var recording = call.GetProperty("recording");
            if (recording.ValueKind == JsonValueKind.Object && recording.GetProperty("state").GetString() != "pending")
            {
                return recording;
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"The recording of {callId} is still {recording}");
            }

            await Task.Delay(50);
        }
    }
}
