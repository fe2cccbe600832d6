using PbxHub.Calls;
using PbxHub.Connectors;
using PbxHub.Connectors.RetailCrm;

namespace PbxHub.Tests.Connectors.RetailCrm;

public sealed class RetailCrmOptionsTests
{
    private static ConnectorOptions Good() => new()
    {
        Id = "rc", Crm = "retailcrm", DefaultUser = "1", Employees = new(StringComparer.OrdinalIgnoreCase) { ["101"] = "5" },
        RetailCrm = new() { BaseUrl = "https://example.retailcrm.ru", ApiKey = "key", Code = "pbxhub" },
    };

    private static IReadOnlyList<string> Failures(ConnectorOptions c)
    {
        var options = new ConnectorsOptions();
        options.Items.Add(c);
        var result = new ConnectorsOptionsValidator(ConnectorCatalog.Builtin).Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    [Fact]
    public void Validate_CompleteRetailCrmConnector_NoProblem() => Assert.Empty(Failures(Good()));

    [Fact]
    public void Validate_NoDefaultUser_AllowedAsMissedCallsThenHaveNoOwner()
    {
        var c = Good();
        c.DefaultUser = null;

        Assert.Empty(Failures(c));
    }

    [Fact]
    public void Validate_EverythingWrong_OneLinePerProblem()
    {
        var c = Good();
        c.RetailCrm = new() { BaseUrl = "example.retailcrm.ru", SettleFor = TimeSpan.FromHours(2), UploadWindow = TimeSpan.FromMinutes(1), Logo = "logo.svg" };
        c.DefaultUser = "admin";
        c.Employees["102"] = "ivanov";

        var failures = Failures(c);

        Assert.Equal(
        [
            "PbxHub:Connectors:0:RetailCrm:BaseUrl 'example.retailcrm.ru' is not the system's absolute http(s) address, e.g. https://example.retailcrm.ru",
            "PbxHub:Connectors:0:RetailCrm:ApiKey is required (an API key of the system)",
            "PbxHub:Connectors:0:RetailCrm:Code is required (the telephony integration module's code)",
            "PbxHub:Connectors:0:RetailCrm:SettleFor '02:00:00' must be between 00:00:00 and 01:00:00",
            "PbxHub:Connectors:0:RetailCrm:UploadWindow '00:01:00' must be between 00:00:00 and 00:00:10",
            "PbxHub:Connectors:0:RetailCrm:Logo 'logo.svg' is not an absolute URL",
            "PbxHub:Connectors:0:DefaultUser 'admin' must be a RetailCRM user id (a positive number)",
            "PbxHub:Connectors:0:Employees:102 'ivanov' must be a RetailCRM user id (a positive number)",
        ], failures);
    }

    [Fact]
    public void Defaults_Documented_FiveSecondsSettleHalfASecondWindowModuleNamedPbxHub()
    {
        var o = new RetailCrmOptions();

        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(500), "PbxHub"), (o.SettleFor, o.UploadWindow, o.ModuleName));
    }

    [Theory]
    [InlineData(Outcomes.Answered, "answered", "answered")]
    [InlineData(Outcomes.Busy, "busy", "busy")]
    [InlineData(Outcomes.Missed, "no answer", "no answered")]
    [InlineData(Outcomes.NoAnswer, "no answer", "no answered")]
    [InlineData(Outcomes.Cancelled, "no answer", "cancel")]
    [InlineData(Outcomes.Failed, "failed", "failed")]
    [InlineData(Outcomes.Congestion, "failed", "failed")]
    [InlineData(Outcomes.Unknown, "unknown", "no answered")]
    [InlineData(null, "unknown", "no answered")]
    public void Result_Outcome_RetailCrmsResultAndHangupStatus(string? outcome, string result, string hangupStatus) =>
        Assert.Equal((result, hangupStatus), (RetailCrmCalls.Result(outcome), RetailCrmCalls.HangupStatus(outcome)));
}
