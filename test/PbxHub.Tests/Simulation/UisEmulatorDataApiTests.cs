using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Simulation.Emulators;
using PbxHub.Tests.Providers.Uis;

namespace PbxHub.Tests.Simulation;

/// <summary>The UIS stand-in's Data API keeps the documentation's rules (docs/providers/uis.md#the-stand-ins-history).</summary>
public sealed class UisEmulatorDataApiTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    private static async Task<JsonObject> AskAsync(EmulatorHost uis, string method, JsonObject parameters)
    {
        using var http = new HttpClient();
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 7, ["method"] = method, ["params"] = parameters };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        return JsonNode.Parse(await (await http.PostAsync(uis.BaseUrl + "/v2.0", content)).Content.ReadAsStringAsync())!.AsObject();
    }

    private static JsonObject Params(Action<JsonObject>? change = null)
    {
        var p = new JsonObject { ["access_token"] = UisHistoryFixture.Token, ["date_from"] = "2026-12-01 00:00:00", ["date_till"] = "2026-12-01 23:59:59" };
        change?.Invoke(p);
        return p;
    }

    public static TheoryData<string, string, string?> Breaches => new()
    {
        { """{"access_token":"wrong"}""", "access_token_invalid", null },
        { """{"access_token":null}""", "required_parameter_missed", "access_token" },
        { """{"date_from":null}""", "required_parameter_missed", "date_from" },
        { """{"date_till":"2026-12-01T23:59:59"}""", "invalid_parameter_value", "date_till" },
        { """{"date_till":"2027-03-02 00:00:00"}""", "date_interval_limit_reached", "date_till" },
        { """{"limit":10001}""", "invalid_parameter_value", "limit" },
        { """{"offset":100001}""", "invalid_parameter_value", "offset" },
        { """{"fields":["id","no_such_field"]}""", "unexpected_parameters", "fields.no_such_field" },
        { """{"page":2}""", "unexpected_parameters", "page" },
        { """{"filter":{"field":"contact_phone_number","operator":"=","value":"1"}}""", "filter_prohibited", "filter" },
    };

    [Theory]
    [MemberData(nameof(Breaches))]
    public async Task CallsReport_BreachOfTheDocumentation_AnswersItsErrorWithMnemonicAndField(string change, string mnemonic, string? field)
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);

        var answer = await AskAsync(uis, "get.calls_report", Params(p =>
        {
            foreach (var (name, value) in JsonNode.Parse(change)!.AsObject())
            {
                if (value is null)
                {
                    p.Remove(name);
                }
                else
                {
                    p[name] = value.DeepClone();
                }
            }
        }));

        Assert.Equal(7, (int)answer["id"]!);
        Assert.Equal(mnemonic, (string?)answer["error"]!["data"]!["mnemonic"]);
        Assert.Equal(field, (string?)answer["error"]!["data"]!["field"]);
        Assert.Null(answer["result"]);
    }

    [Fact]
    public async Task CallsReport_LimitOffsetAndFields_PageOfTheChosenColumnsWithTotalItems()
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);
        var day = new DateTimeOffset(2026, 11, 30, 21, 0, 0, TimeSpan.Zero);
        await UisHistoryFixture.AddHistoryAsync(uis, [.. Enumerable.Range(1, 5).Select(i =>
            new HistoryCall($"{i}", "inbound", "79161234567", "74951234567", null, day.AddMinutes(i), null, day.AddMinutes(i).AddSeconds(30), "missed", null, null))]);

        var answer = await AskAsync(uis, "get.calls_report", Params(p =>
        {
            p["limit"] = 2;
            p["offset"] = 2;
            p["fields"] = new JsonArray("id", "start_time", "is_lost");
        }));

        Assert.Equal(
            """{"data":[{"id":3,"start_time":"2026-12-01 00:03:00","is_lost":true},{"id":4,"start_time":"2026-12-01 00:04:00","is_lost":true}],"metadata":{"total_items":5,"limits":{"day_limit":10000,"day_remaining":9000,"day_reset":3600,"minute_limit":1000,"minute_remaining":900,"minute_reset":30}}}""",
            answer["result"]!.ToJsonString());
    }

    [Fact]
    public async Task CallsReport_CallStillGoingOn_OnlyWithIncludeOngoingCalls()
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);
        var now = time.GetUtcNow();
        await UisHistoryFixture.AddHistoryAsync(uis, new HistoryCall("9", "inbound", "79161234567", "74951234567", null, now.AddMinutes(-1), now, now.AddMinutes(5), "answered", "101", null));
        var today = Params(p => (p["date_from"], p["date_till"]) = ("2026-12-03 00:00:00", "2026-12-03 23:59:59"));

        var finished = await AskAsync(uis, "get.calls_report", today);
        var ongoing = await AskAsync(uis, "get.calls_report", Params(p => (p["date_from"], p["date_till"], p["include_ongoing_calls"]) = ("2026-12-03 00:00:00", "2026-12-03 23:59:59", true)));

        Assert.Equal(0, (int)finished["result"]!["metadata"]!["total_items"]!);
        Assert.Equal(1, (int)ongoing["result"]!["metadata"]!["total_items"]!);
    }
}
