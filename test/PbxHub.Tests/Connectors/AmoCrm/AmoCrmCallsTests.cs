using PbxHub.Calls;
using PbxHub.Connectors;
using PbxHub.Connectors.AmoCrm;

namespace PbxHub.Tests.Connectors.AmoCrm;

/// <summary>What amoCRM is told of a call: the body of POST /api/v4/calls and of an unsorted lead, and the settings it needs.</summary>
public sealed class AmoCrmCallsTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_764_000_000);

    private static ConnectorOptions Connector() => new()
    {
        Id = "amo", Crm = "amocrm", DefaultUser = "504141", Employees = new(StringComparer.OrdinalIgnoreCase) { ["101"] = "504142", ["102"] = "504143" },
        AmoCrm = new() { BaseUrl = "https://example.amocrm.ru", Token = "long-lived" },
    };

    private static CallRecord Call(string direction, string outcome, Party? answeredBy = null) => new()
    {
        Id = "call_1", Account = "demo", Provider = "sipuni", ProviderCallId = "1", Direction = direction, State = "ended", Outcome = outcome,
        From = direction == Directions.Outbound ? new Party("101", null, "101") : new Party("89161234567", "+79161234567", null),
        To = direction == Directions.Outbound ? new Party("89161234567", "+79161234567", null) : null,
        Line = new Party("74951234567", "+74951234567", null), StartedAt = Start, AnsweredAt = answeredBy is null ? null : Start.AddSeconds(5),
        EndedAt = Start.AddSeconds(40), TalkSeconds = answeredBy is null ? 0 : 35, AnsweredBy = answeredBy, EndedWith = answeredBy,
        Legs = [], Transfers = [], UpdatedAt = Start.AddSeconds(40),
    };

    [Theory]
    [InlineData(Outcomes.Answered, 4)]
    [InlineData(Outcomes.Busy, 7)]
    [InlineData(Outcomes.Missed, 6)]
    [InlineData(Outcomes.NoAnswer, 6)]
    [InlineData(Outcomes.Failed, 6)]
    public void Status_Outcome_AmoCrmsCallStatus(string outcome, int status) => Assert.Equal(status, AmoCrmBodies.Status(outcome));

    [Fact]
    public void CallBody_InboundAnsweredBySecond_EveryDocumentedField()
    {
        var body = AmoCrmBodies.Call(Connector(), Call(Directions.Inbound, Outcomes.Answered, new Party("102", null, "102")), "https://hub/recordings/x", null);

        Assert.Equal(
            """{"direction":"inbound","uniq":"call_1","duration":35,"source":"pbxhub","phone":"+79161234567","call_status":4,"call_result":"answered, 35 s of talk","responsible_user_id":504143,"created_at":1764000000,"request_id":"0","link":"https://hub/recordings/x"}""",
            body.ToJsonString(CallJson.Options));
    }

    [Fact]
    public void CallBody_OutboundNotReached_TheDiallingEmployeeOwnsIt()
    {
        var body = AmoCrmBodies.Call(Connector(), Call(Directions.Outbound, Outcomes.NoAnswer), null, null);

        Assert.Equal("outbound", (string?)body["direction"]);
        Assert.Equal(504142, (int)body["responsible_user_id"]!);
        Assert.Equal(6, (int)body["call_status"]!);
        Assert.Null(body["link"]);
    }

    [Fact]
    public void UnsortedBody_MissedFromStranger_MetadataOfTheCallAndThePipeline()
    {
        var c = Connector();
        c.AmoCrm.PipelineId = 3166396;

        var body = AmoCrmBodies.Unsorted(c, Call(Directions.Inbound, Outcomes.Missed), null);

        Assert.Equal(3166396, (int)body["pipeline_id"]!);
        var m = body["metadata"]!;
        Assert.Equal("+79161234567", (string?)m["from"]);
        Assert.Equal("+74951234567", (string?)m["phone"]);
        Assert.Equal("pbxhub", (string?)m["service_code"]);
        Assert.Equal(1_764_000_000L, (long)m["called_at"]!);
        Assert.Equal(504141, (int)m["call_responsible"]!);
    }

    [Fact]
    public void Problems_CompleteConnector_None() => Assert.Empty(AmoCrmOptions.Problems(Connector()));

    [Fact]
    public void Problems_BadUserIdsPipelineAndWaits_OneLineEach()
    {
        var c = Connector();
        c.DefaultUser = "admin";
        c.Employees["103"] = "-1";
        c.AmoCrm.PipelineId = 0;
        c.AmoCrm.RecordingWait = TimeSpan.FromHours(2);

        var problems = AmoCrmOptions.Problems(c).ToList();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("DefaultUser 'admin'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Employees:103 '-1'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AmoCrm:PipelineId '0'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AmoCrm:RecordingWait '02:00:00'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(400, """{"_total_items":0,"errors":[{"title":"Entity not found","request_id":"0"}]}""", true)]
    [InlineData(200, """{"_total_items":0,"errors":[{"title":"Entity not found"}]}""", true)]
    [InlineData(200, """{"_total_items":1,"_embedded":{"calls":[{"id":7008123}]}}""", false)]
    [InlineData(400, """{"validation-errors":[{"request_id":"0","errors":[{"code":"NotBlank","path":"phone","detail":"x"}]}]}""", false)]
    public void NumberUnknown_CallsAnswer_EntityNotFoundWhateverTheStatus(int status, string body, bool unknown) =>
        Assert.Equal(unknown, AmoCrmOutcomes.NumberUnknown(new AmoCrmAnswer(status, System.Text.Json.Nodes.JsonNode.Parse(body), null)));
}
