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

/// <summary>Found by Fuzzing/ApiFuzzTests: bodies the readers refuse late made POST /calls and POST /autodial fail with 500.</summary>
public sealed class UnreadableBodyTests
{
    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x63, 0x63, 0x6F, 0x75, 0x6E, 0x74, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D })] // {"account":"<FF>"}
    [InlineData(new byte[] { 0x7B, 0x22, 0x63, 0x6C, 0x69, 0x65, 0x6E, 0x74, 0x22, 0x3A, 0x22, 0x5C, 0x75, 0x64, 0x38, 0x30, 0x30, 0x22, 0x7D })] // {"client":"\ud800"}
    public async Task PlaceCall_StringThatIsNoText_400Problem(byte[] body)
    {
        await using var hub = await HubServer.StartAsync();

        using var response = await hub.Client.PostAsync("/api/v1/calls", new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } });

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=b0und")]
    public async Task Autodial_MultipartWithoutBoundaryOrBroken_400Problem(string contentType)
    {
        await using var hub = await HubServer.StartAsync();
        var content = new ByteArrayContent("--b0und\r\nContent-Disposition: form-data; name=\"account\"\r\n\r\nev"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await hub.Client.PostAsync("/api/v1/autodial", content);

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
