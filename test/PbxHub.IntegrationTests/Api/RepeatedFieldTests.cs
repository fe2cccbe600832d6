using System.Net;
using System.Text;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Api;

/// <summary>Found by Fuzzing/ApiFuzzTests: a JSON field given twice made POST /calls fail with 500.</summary>
public sealed class RepeatedFieldTests
{
    [Theory]
    [InlineData("""{"account":"demo","client":"79031234567","options":{},"options":{}}""")]
    [InlineData("""{"account":"demo","account":"other","client":"79031234567"}""")]
    public async Task PlaceCall_FieldGivenTwice_400ProblemNamingTheBody(string body)
    {
        await using var hub = await HubServer.StartAsync();

        using var response = await hub.Client.PostAsync("/api/v1/calls", new StringContent(body, Encoding.UTF8, "application/json"));

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Body is not JSON", problem.RootElement.Str("title"));
        Assert.Contains("duplicate", problem.RootElement.Str("detail") ?? "", StringComparison.OrdinalIgnoreCase);
    }
}
