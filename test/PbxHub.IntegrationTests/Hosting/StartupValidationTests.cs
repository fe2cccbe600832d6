using Microsoft.Extensions.Options;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Hosting;

public sealed class StartupValidationTests
{
    [Fact]
    public async Task Start_AccountDeclaredWithBadValues_FailsNamingEachProblem()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = "Bad Id",
            ["PbxHub:Accounts:1:Provider"] = "nosuch",
            ["PbxHub:Accounts:1:Secret"] = "short",
            ["PbxHub:Accounts:1:TimeZone"] = "Mars/Olympus",
        }));

        Assert.Contains("PbxHub:Accounts:1 ('Bad Id')", ex.Message, StringComparison.Ordinal);
        Assert.Contains("provider 'nosuch' is not one of: sipuni", ex.Message, StringComparison.Ordinal);
        Assert.Contains("timeZone 'Mars/Olympus' is not a known IANA time zone", ex.Message, StringComparison.Ordinal);
        Assert.Contains("secret must be at least 8 characters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_IngestLimitOutOfRange_Fails()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Ingest:MaxBatchSize"] = "0",
        }));

        Assert.Contains("MaxBatchSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PerSubscriptionConcurrencyAboveTheTotal_FailsNamingBoth()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Delivery:MaxConcurrency"] = "16",
            ["PbxHub:Delivery:MaxConcurrencyPerSubscription"] = "32",
        }));

        Assert.Contains("PbxHub:Delivery:MaxConcurrencyPerSubscription (32) is more than PbxHub:Delivery:MaxConcurrency (16)", ex.Message, StringComparison.Ordinal);
    }
}
