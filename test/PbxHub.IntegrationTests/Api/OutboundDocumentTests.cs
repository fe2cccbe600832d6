using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.OpenApi;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Outbound;
using PbxHub.Providers.Evrotel;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Api;

/// <summary>
/// Placing a call and autodial in the OpenAPI document (docs/api.md): their answers, the stored request and the provider's
/// problem with its own code, are typed, and what the hub really answers matches the document.
/// </summary>
public sealed class OutboundDocumentTests
{
    private const string Calls = "/api/v1/calls";
    private const string Autodial = "/api/v1/autodial";

    [Theory]
    [InlineData(Calls, "CallRequestView")]
    [InlineData(Autodial, "AutodialRequestView")]
    public async Task OpenApiDocument_Outbound_TypesTheStoredRequestAndTheProvidersProblem(string path, string success)
    {
        await using var hub = await HubServer.StartAsync();
        var (document, _, _) = await HubDocument.ReadAsync(hub.BaseUrl);

        var placed = document.Answer(path, HttpMethod.Post, "200", "application/json");
        Assert.Equal(success, Assert.IsType<OpenApiSchemaReference>(placed).Reference.Id);
        Assert.Superset(new HashSet<string> { "id", "account", "provider", "status", "exchanges", "problem", "callId" }, placed.Properties!.Keys.ToHashSet());
        Assert.Equal(path == Autodial, placed.Properties!.ContainsKey("media"));
        foreach (var status in (string[])["422", "429", "502", "504"])
        {
            var problem = document.Answer(path, HttpMethod.Post, status, "application/problem+json");
            Assert.Equal("ProviderProblemDetails", Assert.IsType<OpenApiSchemaReference>(problem).Reference.Id);
            Assert.Superset(
                new HashSet<string> { "status", "title", "detail", "requestId", "providerCode", "providerMessage", "providerData", "remedy", "mayHaveBeenPlaced", "exchanges" },
                problem.Properties!.Keys.ToHashSet());
        }

        var body = document.Paths[path].Operations![HttpMethod.Post].RequestBody!.Content!.Single();
        Assert.Equal(path == Calls ? "application/json" : "multipart/form-data", body.Key);
        if (path == Calls)
        {
            Assert.Equal("PlaceCallBody", Assert.IsType<OpenApiSchemaReference>(body.Value.Schema).Reference.Id);
            Assert.Equal(["account", "client", "operator", "options"], body.Value.Schema!.Properties!.Keys.Order(StringComparer.Ordinal));
        }

        var invalid = document.Answer(path, HttpMethod.Post, "400", "application/problem+json");
        Assert.Equal("HttpValidationProblemDetails", Assert.IsType<OpenApiSchemaReference>(invalid).Reference.Id);
        Assert.NotNull(document.Answer(path, HttpMethod.Post, "503", "application/problem+json"));
    }

    [Fact]
    public async Task PlaceCall_RealAnswers_MatchTheDocumentsSchemas()
    {
        await using var uis = await UisEmulator.StartAsync("http://127.0.0.1:0",
            new UisEmulatorOptions { Login = "bbb", Password = "bbb", ServiceNumbers = ["74993720692"] }, TimeProvider.System);
        await using var hub = await OutboundHub.StartAsync(uis, null);
        var (document, _, _) = await HubDocument.ReadAsync(hub.BaseUrl);

        using var placed = await hub.Client.PostAsJsonAsync(Calls, new { account = OutboundHub.UisAccount, @operator = "79164572521", client = "74959891628" });
        using var limited = await hub.Client.PostAsJsonAsync(Calls, new { account = OutboundHub.UisAccount, @operator = "79164572521", client = "79990032004" });

        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);
        using var answer = JsonDocument.Parse(await placed.Content.ReadAsStringAsync());
        Assert.Empty(DocumentSchema.Problems(document.Answer(Calls, HttpMethod.Post, "200", "application/json"), answer.RootElement));
        using var problem = await HttpJson.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Equal("-32004", problem.RootElement.Str("providerCode"));
        // Problem details may leave out the optional type and instance and add the trace id; the provider's members must all agree.
        string[] optional = ["$.type:", "$.instance:", "$.traceId:"];
        Assert.DoesNotContain(DocumentSchema.Problems(document.Answer(Calls, HttpMethod.Post, "429", "application/problem+json"), problem.RootElement),
            p => !optional.Any(o => p.StartsWith(o, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Autodial_RealAnswer_MatchesTheDocumentsSchema()
    {
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0",
            new EvrotelEmulatorOptions { Token = OutboundHub.EvrotelToken, BillCode = "20558" }, TimeProvider.System);
        await using var hub = await OutboundHub.StartAsync(null, evrotel);
        var (document, _, _) = await HubDocument.ReadAsync(hub.BaseUrl);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(OutboundHub.EvrotelAccount), "account" },
            { new ByteArrayContent(WavFormat.Silence(1, 8000, 16, TimeSpan.FromSeconds(1))), "file", "greeting.wav" },
        };

        using var response = await hub.Client.PostAsync(Autodial, form);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var answer = JsonDocument.Parse(text);
        Assert.Empty(DocumentSchema.Problems(document.Answer(Autodial, HttpMethod.Post, "200", "application/json"), answer.RootElement));
    }
}
