using Microsoft.Extensions.Options;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>Dashboard users and the cookie lifetime are checked at start-up, naming what to fix.</summary>
public sealed class DashboardOptionsTests
{
    [Fact]
    public async Task Startup_UserWithShortPasswordAndDuplicateName_FailsNamingEach()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Dashboard:Users:0:Name"] = "anna", ["PbxHub:Dashboard:Users:0:Password"] = "short",
            ["PbxHub:Dashboard:Users:1:Name"] = "Anna", ["PbxHub:Dashboard:Users:1:Password"] = "long enough password",
            ["PbxHub:Dashboard:CookieLifetime"] = "00:00:00",
        }));
        Assert.Contains("PbxHub:Dashboard:Users:0:Password must have at least 8 characters", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PbxHub:Dashboard:Users: 'anna' is declared twice", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PbxHub:Dashboard:CookieLifetime must be positive", ex.Message, StringComparison.Ordinal);
    }
}
