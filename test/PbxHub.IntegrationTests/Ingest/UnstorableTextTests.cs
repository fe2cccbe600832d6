using System.Net;
using System.Text;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Fuzzing;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Ingest;

/// <summary>
/// NUL in a provider's values (found by Fuzzing/HookFuzzTests on PostgreSQL, whose text cannot hold it): the request
/// is stored and folded like any other, the NUL shown as U+FFFD, and no write fails for it or for its neighbours.
/// </summary>
public sealed class UnstorableTextTests
{
    [Fact]
    public async Task Hook_SipuniValuesWithNul_AcknowledgedStoredAndFolded()
    {
        await using var fuzz = await FuzzStart();
        var fields = SipuniHooks.Arrival("nul\0call", "8903\u00001234567", "84951234567", 1_700_000_000); // NUL as %00

        using var response = await fuzz.Hub.Client.SendHookAsync(fuzz.Hub.HookPath, fields);

        await HttpJson.AssertSipuniSuccessAsync(response, fields);
        using var call = await fuzz.Hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "nul\uFFFDcall")}");
        Assert.Equal("8903\uFFFD1234567", call.RootElement.GetProperty("from").Str("raw"));
        Assert.Empty(fuzz.Logs.Unhandled);
    }

    [Fact]
    public async Task Hook_EvrotelJsonEscapingNul_AnsweredWithItsCallIdAndFolded()
    {
        await using var fuzz = await FuzzStart();
        var (_, path) = FuzzHub.HookOf("evrotel");
        const string start = """{"callstatus":"start","calldate":"2018-04-01 00:00:11","numberA":"0987\u0000858227","numberB":"0679853913","direction":"i"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(start, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", FuzzHub.EvrotelToken);

        using var response = await fuzz.Hub.Client.SendAsync(request);

        var callId = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, callId);
        using var call = await fuzz.Hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(FuzzHub.EvrotelAccount, callId)}");
        Assert.Equal("0987\uFFFD858227", call.RootElement.GetProperty("from").Str("raw"));
        Assert.Empty(fuzz.Logs.Unhandled);
    }

    [Fact]
    public async Task Hook_HookTypeBodyWithRawNul_QuarantinedWithAStorableReason()
    {
        await using var fuzz = await FuzzStart();
        var (_, path) = FuzzHub.HookOf("hooktype");
        byte[] body = [.. "{\"SessionID\":"u8, 0x00, .. "\"x\"}"u8];

        using var response = await fuzz.Hub.Client.PostAsync(path, new ByteArrayContent(body));

        await HttpJson.AssertQuarantinedAnswerAsync(response, "HookType body with a raw NUL");
        var row = Assert.Single(await FuzzStore.RawEventsAsync(fuzz.Hub.DataDirectory));
        Assert.Equal("quarantined", row.Kind);
        Assert.Equal(body, row.Body);
        Assert.Empty(fuzz.Logs.Unhandled);
    }

    private static Task<FuzzHub> FuzzStart() => FuzzHub.StartAsync();
}
