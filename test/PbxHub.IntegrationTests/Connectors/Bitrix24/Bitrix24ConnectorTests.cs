using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using static PbxHub.IntegrationTests.Connectors.Bitrix24.Bitrix24Rig;

namespace PbxHub.IntegrationTests.Connectors.Bitrix24;

/// <summary>Sipuni calls reaching the Bitrix24 stand-in through the connector, over real HTTP, step by step.</summary>
public sealed class Bitrix24ConnectorTests
{
    private const string RecordingUrl = "https://sipuni.com/api/crm/record?id=354435435436&hash=abc.mp3";

    /// <summary>An inbound call rung to 101 and 102 at once, answered by 102 after 5 s, 30 s of talk, with a recording.</summary>
    internal static string[] TwoEmployeesSecondAnswers(string callId, long start) =>
    [
        SipuniHooks.Arrival(callId, Client, Line, start),
        SipuniHooks.Ring(callId, Client, "101", start),
        SipuniHooks.Ring(callId, Client, "102", start),
        SipuniHooks.Answer(callId, Client, "102", start + 5),
        SipuniHooks.HangUp(callId, Client, "102", "ANSWER", start, start + 5, start + 35) + "&call_record_link=" + Uri.EscapeDataString(RecordingUrl),
    ];

    [Fact]
    public async Task Deliver_InboundRungToTwoAnsweredBySecond_RegisterShowBothHideFirstFinishSecondAttachRecord()
    {
        await using var rig = await Bitrix24Rig.StartAsync();
        var start = 1_764_000_000L;
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, TwoEmployeesSecondAnswers("two-1", start));
        var callId = StableIds.CallId(HubServer.AccountId, "two-1");

        await Webhooks.WaitUntilAsync(() => rig.AcceptedFor(callId).Any(r => r.Method.EndsWith("attachRecord", StringComparison.Ordinal)), "the recording attached");
        var steps = rig.AcceptedFor(callId);
        Assert.Equal(["register", "show", "show", "hide", "finish", "attachRecord"], steps.Select(Short));
        var register = steps[0];
        Assert.Equal(5, (int)P(register, "USER_ID")!);
        Assert.Equal("+79161234567", (string?)P(register, "PHONE_NUMBER"));
        Assert.Equal(2, (int)P(register, "TYPE")!);
        Assert.Equal("2025-11-24T19:00:00+03:00", (string?)P(register, "CALL_START_DATE"));
        Assert.Equal("+74951234567", (string?)P(register, "LINE_NUMBER"));
        Assert.Equal(1, (int)P(register, "CRM_CREATE")!);
        Assert.Equal(callId, (string?)P(register, "EXTERNAL_CALL_ID"));
        Assert.Equal([5, 7], steps.Where(s => Short(s) == "show").Select(s => (int)P(s, "USER_ID")!));
        Assert.Equal("[5]", P(steps[3], "USER_ID")!.ToJsonString());
        var finish = steps[4];
        Assert.Equal(7, (int)P(finish, "USER_ID")!);
        Assert.Equal("200", (string?)P(finish, "STATUS_CODE"));
        Assert.Equal(30, (int)P(finish, "DURATION")!);
        Assert.Equal(RecordingUrl, (string?)P(steps[5], "RECORD_URL"));
        Assert.All(steps.Skip(1), s => Assert.Equal(rig.Portal.Calls.Single().CallId, (string?)P(s, "CALL_ID")));
        Assert.Contains(rig.Portal.Accepted, r => r.Method == "telephony.externalLine.add" && (string?)P(r, "NUMBER") == "+74951234567");
        Assert.DoesNotContain(rig.Portal.Requests, r => r.Error is not null);
    }

    [Fact]
    public async Task Deliver_MissedInbound_FinishedAsMissedForTheDefaultUser()
    {
        await using var rig = await Bitrix24Rig.StartAsync();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("missed-1", Client, Line, "101", 1_764_000_000L));
        var callId = StableIds.CallId(HubServer.AccountId, "missed-1");

        await Webhooks.WaitUntilAsync(() => rig.AcceptedFor(callId).Any(r => Short(r) == "finish"), "the call finished");
        var steps = rig.AcceptedFor(callId);
        Assert.Equal(["register", "show", "finish"], steps.Select(Short));
        var finish = steps[^1];
        Assert.Equal(1, (int)P(finish, "USER_ID")!);
        Assert.Equal("304", (string?)P(finish, "STATUS_CODE"));
        Assert.Equal(0, (int)P(finish, "DURATION")!);
        Assert.Equal("missed", (string?)P(finish, "FAILED_REASON"));
    }
}
