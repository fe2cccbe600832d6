using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Providers;

namespace PbxHub.Tests.Providers.Uis;

/// <summary>UIS Call API v1 over real HTTP against the stand-in: what is sent, byte for byte.</summary>
public sealed class UisPlaceCallsTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2024, 3, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task PlaceCall_OneOperatorWithEveryOption_SendsAuthenticateThenTheDocumentsPlaceCalls()
    {
        await using var uis = await UisFixture.StartAsync(time);
        using var harness = new OutboundHarness(time);
        var options = JsonNode.Parse("""
            {"first_call": "numc", "switch_at_once": true, "media_file": "leave_message", "is_queue": false, "use_numb_as_numa": false,
             "numa_message": {"type": "media", "value": "leave_message"}, "numc_message": {"type": "media", "value": "leave_message"}}
            """)!.AsObject();

        var outcome = await harness.For("uis").PlaceCallAsync(
            UisFixture.Account(uis), new PlaceCallInput(["+7 916 457-25-21"], "8 (495) 989-16-28", options), CancellationToken.None);

        var placed = Assert.IsType<OutboundOutcome.Placed>(outcome);
        Assert.Equal(["authenticate", "place_calls"], uis.Requests.Select(r => (string?)JsonNode.Parse(r.Body)!["method"] ?? "").ToArray());
        Assert.Equal("""{"jsonrpc":"2.0","method":"authenticate","id":1,"params":{"login":"bbb","password":"bbb"}}""",
            UisFixture.Normalised(UisFixture.Rpc(uis, "authenticate")[0]));
        Assert.Equal(
            """{"jsonrpc":"2.0","method":"place_calls","id":1,"params":{"session_key":"KEY","first_call":"numc","switch_at_once":true,"media_file":"leave_message","is_queue":false,"use_numb_as_numa":false,"numa":"74959891628","numa_message":{"type":"media","value":"leave_message"},"numb":"74993720692","numc":"79164572521","numc_message":{"type":"media","value":"leave_message"}}}""",
            UisFixture.Normalised(UisFixture.Rpc(uis, "place_calls")[0]));
        Assert.All(uis.Requests, r => Assert.Equal("application/json; charset=utf-8", r.ContentType));
        // The answer shows what was asked, with the credentials masked.
        Assert.Equal("***", (string?)placed.Exchanges[0].Asked!["params"]!["password"]);
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":{"session_key":"***"}}""", placed.Exchanges[0].Answered!.Replace("\"id\":" + (long)JsonNode.Parse(placed.Exchanges[0].Answered!)!["id"]!, "\"id\":1", StringComparison.Ordinal));
        Assert.Equal("***", (string?)placed.Exchanges[1].Asked!["params"]!["session_key"]);
        Assert.Contains("\"result\":\"success\"", placed.Exchanges[1].Answered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaceCall_SeveralOperators_SendsOneRedirectionGroupWithDefaultsLeftToUis()
    {
        await using var uis = await UisFixture.StartAsync(time);
        using var harness = new OutboundHarness(time);
        var options = JsonNode.Parse("""{"dialing_increment": 1, "incremental_dialing_timeout": 10, "lines_limit": 2}""")!.AsObject();

        var outcome = await harness.For("uis").PlaceCallAsync(
            UisFixture.Account(uis), new PlaceCallInput(["79164572521", "79164572522"], "74959891628", options), CancellationToken.None);

        Assert.IsType<OutboundOutcome.Placed>(outcome);
        Assert.Equal(
            """{"jsonrpc":"2.0","method":"place_calls","id":1,"params":{"session_key":"KEY","first_call":"numc","switch_at_once":true,"numa":"74959891628","numb":"74993720692","numc":[{"dialing_increment":1,"incremental_dialing_timeout":10,"lines_limit":2,"phones":[{"numb":"79164572521"},{"numb":"79164572522"}]}]}}""",
            UisFixture.Normalised(UisFixture.Rpc(uis, "place_calls")[0]));
    }

    [Fact]
    public async Task PlaceCall_DocumentsGroupExampleAsQueue_SendsItAsWritten()
    {
        await using var uis = await UisFixture.StartAsync(time);
        using var harness = new OutboundHarness(time);
        var options = JsonNode.Parse("""
            {"is_queue": true, "queue_timeout": 1, "numc": [{"dialing_increment": 1, "incremental_dialing_timeout": 1, "lines_limit": 2, "lines_start": 1,
              "phones": [{"channels_count": 2, "numb": "79164572521", "timeout": 29}, {"channels_count": 2, "numb": "79164572521", "timeout": 29}]}]}
            """)!.AsObject();

        var outcome = await harness.For("uis").PlaceCallAsync(UisFixture.Account(uis), new PlaceCallInput([], "74959891628", options), CancellationToken.None);

        Assert.IsType<OutboundOutcome.Placed>(outcome);
        Assert.Equal(
            """{"jsonrpc":"2.0","method":"place_calls","id":1,"params":{"session_key":"KEY","first_call":"numc","switch_at_once":true,"is_queue":true,"queue_timeout":1,"numa":"74959891628","numb":"74993720692","numc":[{"dialing_increment":1,"incremental_dialing_timeout":1,"lines_limit":2,"lines_start":1,"phones":[{"channels_count":2,"numb":"79164572521","timeout":29},{"channels_count":2,"numb":"79164572521","timeout":29}]}]}}""",
            UisFixture.Normalised(UisFixture.Rpc(uis, "place_calls")[0]));
    }

    public static TheoryData<string, string[], string, string> InvalidInputs => new()
    {
        { "client is not a number", ["79164572521"], "{}", "client" },
        { "operator is not a number", ["101"], "{}", "operator" },
        { "first_call outside numa/numc/any", ["79164572521"], """{"first_call": "office"}""", "options.first_call" },
        { "switch_at_once not a boolean", ["79164572521"], """{"switch_at_once": "yes"}""", "options.switch_at_once" },
        { "message type neither media nor text", ["79164572521"], """{"numa_message": {"type": "video", "value": "x"}}""", "options.numa_message.type" },
        { "message without value", ["79164572521"], """{"numc_message": {"type": "text"}}""", "options.numc_message" },
        { "fan-out group without dialing_increment", ["79164572521", "79164572522"], """{"incremental_dialing_timeout": 5}""", "options.dialing_increment" },
        { "queue of groups without queue_timeout", ["79164572521", "79164572522"], """{"is_queue": true}""", "options.queue_timeout" },
        { "phone without numb", [], """{"is_queue": true, "queue_timeout": 5, "numc": [{"phones": [{"timeout": 20}]}]}""", "options.numc[0].phones[0].numb" },
        { "group without phones", [], """{"is_queue": true, "queue_timeout": 5, "numc": [{"lines_limit": 2}]}""", "options.numc[0].phones" },
        { "group parameter for one operator", ["79164572521"], """{"lines_limit": 2}""", "options.lines_limit" },
        { "timeout below one", [], """{"is_queue": true, "queue_timeout": 5, "numc": [{"phones": [{"numb": "79164572521", "timeout": 0}]}]}""", "options.numc[0].phones[0].timeout" },
        { "unknown option (the first example's spelling)", ["79164572521"], """{"is_use_numb_as_numa": true}""", "options.is_use_numb_as_numa" },
        { "no operator at all", [], "{}", "operator" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task PlaceCall_InvalidInput_IsRefusedBeforeAnythingIsSent(string why, string[] operators, string options, string field)
    {
        await using var uis = await UisFixture.StartAsync(time);
        using var harness = new OutboundHarness(time);
        var client = why == "client is not a number" ? "12" : "74959891628";

        var outcome = await harness.For("uis").PlaceCallAsync(
            UisFixture.Account(uis), new PlaceCallInput(operators, client, JsonNode.Parse(options)!.AsObject()), CancellationToken.None);

        var invalid = Assert.IsType<OutboundOutcome.Invalid>(outcome);
        Assert.True(invalid.Errors.ContainsKey(field), $"{why}: expected an error on {field}, got {string.Join(", ", invalid.Errors.Keys)}");
        Assert.Empty(uis.Requests);
    }

    [Fact]
    public async Task PlaceCall_NoServiceNumberAnywhere_IsRefusedBeforeSending()
    {
        await using var uis = await UisFixture.StartAsync(time);
        using var harness = new OutboundHarness(time);
        var account = UisFixture.Account(uis);
        account = account with { Settings = account.Settings.Where(kv => kv.Key != "Uis:ServiceNumber").ToDictionary() };

        var outcome = await harness.For("uis").PlaceCallAsync(account, new PlaceCallInput(["79164572521"], "74959891628", []), CancellationToken.None);

        Assert.Contains("options.numb", Assert.IsType<OutboundOutcome.Invalid>(outcome).Errors.Keys);
        Assert.Empty(uis.Requests);
    }
}
