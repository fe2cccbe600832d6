using System.Net;
using System.Text.Json;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Providers.HookType;

/// <summary>The document's example payloads (docs/providers/hooktype-dialect.md) posted over HTTP to a real hub; the calls as the API serves them.</summary>
public sealed class HookTypeSpecExampleTests
{
    private static readonly string[] ValidExamples = ["CreateIncCall", "AttemptIncCallBegin", "ChangeIncCall", "EndIncCall", "MissedIncCall"];

    [Fact]
    public async Task SpecExamples_Posted_AnsweredSuccessAndServedAsFourCalls()
    {
        await using var hub = await HookTypeHub.StartAsync();
        foreach (var hookType in ValidExamples)
        {
            await hub.PostAcceptedAsync(HookTypeHub.Example(hookType));
        }

        using var list = await hub.Client.GetJsonAsync($"/api/v1/calls?account={HookTypeHub.AccountId}");
        var sessions = list.RootElement.GetProperty("items").EnumerateArray().Select(c => c.Str("providerCallId")!).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["13f225e3-e449-4576-94de-50bb59064f46", "391cb39b-2658-4bcb-b4de-6b1fd4a2ed70", "4045859e-2dff-4d92-afba-ea57566a6e8b", "ec22aab1-02f8-487d-9b40-1173f33ba242"],
            sessions);

        using var created = await hub.Client.GetJsonAsync(HookTypeHub.CallUrl("ec22aab1-02f8-487d-9b40-1173f33ba242"));
        var ringing = created.RootElement;
        Assert.Equal(("hooktype", HookTypeHub.AccountId, "inbound", "ringing"), (ringing.Str("provider"), ringing.Str("account"), ringing.Str("direction"), ringing.Str("state")));
        AssertParty(ringing.GetProperty("from"), "9582412128", "+79582412128", null);
        AssertParty(ringing.GetProperty("to"), "4950665310", "+74950665310", null);
        AssertParty(ringing.GetProperty("line"), "4950665310", "+74950665310", null);
        Assert.Equal("2021-01-28T11:15:22Z", ringing.Str("startedAt"));
        var leg = Assert.Single(ringing.GetProperty("legs").EnumerateArray());
        AssertParty(leg.GetProperty("party"), "80052002651", null, "0052002651");
        Assert.Equal("2021-01-28T11:15:30Z", leg.Str("startedAt"));

        using var answered = await hub.Client.GetJsonAsync(HookTypeHub.CallUrl("13f225e3-e449-4576-94de-50bb59064f46"));
        Assert.Equal(("active", "2021-01-28T09:31:01Z"), (answered.RootElement.Str("state"), answered.RootElement.Str("answeredAt")));
        AssertParty(answered.RootElement.GetProperty("answeredBy"), "800774994086005", null, "00774994086005");
        AssertParty(answered.RootElement.GetProperty("line"), "3462773930", "+73462773930", null);

        using var ended = await hub.Client.GetJsonAsync(HookTypeHub.CallUrl("4045859e-2dff-4d92-afba-ea57566a6e8b"));
        var end = ended.RootElement;
        Assert.Equal(("ended", "answered", "200"), (end.Str("state"), end.Str("outcome"), end.Str("providerResult")));
        Assert.Equal(("2021-01-28T15:26:53Z", "2021-01-28T15:26:53Z", "2021-01-28T15:27:19Z"), (end.Str("startedAt"), end.Str("answeredAt"), end.Str("endedAt")));
        Assert.Equal((0, 26), (end.GetProperty("waitSeconds").GetInt32(), end.GetProperty("talkSeconds").GetInt32()));
        AssertParty(end.GetProperty("endedWith"), "0052002651", null, "0052002651");

        using var missed = await hub.Client.GetJsonAsync(HookTypeHub.CallUrl("391cb39b-2658-4bcb-b4de-6b1fd4a2ed70"));
        var miss = missed.RootElement;
        Assert.Equal(("ended", "missed", "603-S"), (miss.Str("state"), miss.Str("outcome"), miss.Str("providerResult")));
        Assert.Equal(("2021-01-28T15:34:51Z", "2021-01-28T15:34:51Z"), (miss.Str("startedAt"), miss.Str("endedAt")));
        Assert.Equal(JsonValueKind.Null, miss.GetProperty("answeredBy").ValueKind);
        using var timeline = await hub.Client.GetJsonAsync(HookTypeHub.CallUrl("391cb39b-2658-4bcb-b4de-6b1fd4a2ed70") + "/timeline");
        Assert.Contains(timeline.RootElement.GetProperty("events").EnumerateArray(), e => e.Str("type") == "call.missed");
    }

    [Fact]
    public async Task AttemptIncCallEndExample_AsPrintedIsQuarantinedAndCompletedJoinsItsCall()
    {
        await using var hub = await HookTypeHub.StartAsync();
        var printed = HookTypeHub.Example("AttemptIncCallEnd");
        using (var response = await hub.PostAsync(printed))
        {
            var error = await HttpJson.AssertQuarantinedAnswerAsync(response, "AttemptIncCallEnd as printed");
            Assert.StartsWith("the body is not valid JSON", error, StringComparison.Ordinal);
        }

        var quarantined = Assert.Single(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        Assert.Equal(("quarantined", HookTypeHub.AccountId), (quarantined.Kind, quarantined.Account));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(printed), quarantined.Body);
        Assert.StartsWith("the body is not valid JSON", quarantined.Reason, StringComparison.Ordinal);

        await hub.PostAcceptedAsync([.. printed, .. "\n}"u8]);
        await hub.PostAcceptedAsync(HookTypeHub.Example("EndIncCall"));

        using var doc = await hub.Client.GetJsonAsync(HookTypeHub.CallUrl("4045859e-2dff-4d92-afba-ea57566a6e8b"));
        var legs = doc.RootElement.GetProperty("legs").EnumerateArray()
            .Select(l => (l.GetProperty("party").Str("raw"), l.GetProperty("party").Str("extension"), l.Str("outcome"))).ToList();
        Assert.Equal([("0052002651", "0052002651", "answered"), ("80052002642", "0052002642", "no_answer")], legs);
        Assert.Equal(("ended", "answered"), (doc.RootElement.Str("state"), doc.RootElement.Str("outcome")));
    }

    private static void AssertParty(JsonElement party, string raw, string? number, string? extension) =>
        Assert.Equal((raw, number, extension), (party.Str("raw"), party.Str("number"), party.Str("extension")));
}
