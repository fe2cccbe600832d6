using PbxHub.Connectors;
using PbxHub.Providers.HookType;

namespace PbxHub.Tests.Connectors;

public sealed class ConnectorsOptionsTests
{
    private static ConnectorOptions Good() => new()
    {
        Id = "b24", Crm = "bitrix24", DefaultUser = "1", Employees = new(StringComparer.OrdinalIgnoreCase) { ["101"] = "5" },
        Bitrix24 = new() { ClientId = "local.1", ClientSecret = "secret" },
    };

    private static IReadOnlyList<string> Failures(params ConnectorOptions[] items)
    {
        var options = new ConnectorsOptions();
        options.Items.AddRange(items);
        var result = new ConnectorsOptionsValidator(ConnectorCatalog.Builtin).Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    [Fact]
    public void Validate_CompleteBitrix24Connector_NoProblem() => Assert.Empty(Failures(Good()));

    [Fact]
    public void Validate_MissingDefaultUserSecretAndBadEmployee_OneLinePerProblem()
    {
        var bad = Good();
        bad.DefaultUser = null;
        bad.Bitrix24.ClientSecret = null;
        bad.Employees["102"] = "ivanov";

        var failures = Failures(bad);

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.Contains("PbxHub:Connectors:0:DefaultUser", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Bitrix24:ClientSecret is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Employees:102 'ivanov'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("mp3", true)]
    [InlineData(null, true)]
    [InlineData("ogg", false)]
    public void Validate_RecordingFormat_Mp3OrNothing(string? format, bool valid)
    {
        var connector = Good();
        connector.RecordingFormat = format;

        var failures = Failures(connector);

        Assert.Equal(valid, failures.Count == 0);
        Assert.All(failures, f => Assert.Contains("PbxHub:Connectors:0:RecordingFormat 'ogg'", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:00:05", true)]
    [InlineData("00:00:00", true)]
    [InlineData("-00:00:01", false)]
    [InlineData("02:00:00", false)]
    public void Validate_Bitrix24SettleFor_ZeroToAnHour(string settle, bool valid)
    {
        var connector = Good();
        connector.Bitrix24.SettleFor = TimeSpan.Parse(settle, System.Globalization.CultureInfo.InvariantCulture);

        var failures = Failures(connector);

        Assert.Equal(valid, failures.Count == 0);
        Assert.All(failures, f => Assert.Contains("Bitrix24:SettleFor", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownCrmAndDuplicateId_Refused()
    {
        var other = Good();
        other.Crm = "salesforce";

        var failures = Failures(Good(), Good(), other);

        Assert.Contains(failures, f => f.Contains("'b24' is declared twice", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Crm 'salesforce' is not one of bitrix24", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("answered", null, "200")]
    [InlineData("missed", null, "304")]
    [InlineData("no_answer", null, "304")]
    [InlineData("busy", null, "486")]
    [InlineData("rejected", null, "603")]
    [InlineData("rejected", "423", "423")]
    [InlineData("cancelled", null, "603-S")]
    [InlineData("unavailable", "484", "484")]
    [InlineData("unavailable", null, "480")]
    [InlineData("failed", "402", "402")]
    [InlineData("failed", null, "OTHER")]
    [InlineData("failed", "200", "OTHER")]
    [InlineData("unknown", null, "OTHER")]
    public void CodeOf_Outcome_HookTypeTableReadBackwards(string outcome, string? providerResult, string expected) =>
        Assert.Equal(expected, HookTypeResultCodes.CodeOf(outcome, providerResult));
}
