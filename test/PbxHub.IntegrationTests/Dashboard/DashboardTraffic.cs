using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>Calls sent as Sipuni hooks, timed around now so the live page and the default period see them.</summary>
internal static class DashboardTraffic
{
    public const string Line = "74951234567";
    public const string AnsweredCaller = "89161112233";
    public const string MissedCaller = "89165554433";
    public const string OutboundClient = "89037778899";

    public static long Now => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>An inbound call rung on 101 and 102 at once, answered by 102 after 8 s, 40 s of talk.</summary>
    public static string[] AnsweredOnSecondLeg(string callId, string from, long start) =>
    [
        SipuniHooks.Arrival(callId, from, Line, start),
        SipuniHooks.Ring(callId, from, "101", start),
        SipuniHooks.Ring(callId, from, "102", start),
        SipuniHooks.Answer(callId, from, "102", start + 8),
        SipuniHooks.HangUp(callId, from, "101", "NOANSWER", start, 0, start + 8),
        SipuniHooks.HangUp(callId, from, "102", "ANSWER", start, start + 8, start + 48),
    ];

    /// <summary>Three calls an hour ago: answered by 102, missed (rung on 101), outbound from 101.</summary>
    public static async Task SeedAsync(HubServer hub)
    {
        var start = Now - 3600;
        await hub.Client.SendHooksAsync(hub.HookPath, AnsweredOnSecondLeg("j-answered", AnsweredCaller, start));
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("j-missed", MissedCaller, Line, "101", start + 120));
        await hub.Client.SendHooksAsync(hub.HookPath,
        [
            SipuniHooks.OutboundStart("j-outbound", "101", OutboundClient, start + 240),
            SipuniHooks.OutboundHangUp("j-outbound", "101", OutboundClient, "ANSWER", start + 240, start + 250, start + 310),
        ]);
    }
}
