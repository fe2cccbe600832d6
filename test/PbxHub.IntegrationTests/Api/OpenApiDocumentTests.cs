using System.Net;
using System.Text.Json;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Api;

/// <summary>The hub's OpenAPI document (docs/api.md): valid, complete, and true to what the API answers.</summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private const long T = 1_700_000_000;
    private HubServer hub = null!;

    public async Task InitializeAsync() => hub = await HubServer.StartAsync();

    public async Task DisposeAsync() => await hub.DisposeAsync();

    private async Task<(OpenApiDocument Document, OpenApiDiagnostic Diagnostic)> ReadDocumentAsync()
    {
        var (document, diagnostic, _) = await HubDocument.ReadAsync(hub.BaseUrl);
        return (document, diagnostic);
    }

    [Fact]
    public async Task OpenApiDocument_Read_HasNoErrorsAndIsOpenApi31()
    {
        var (document, diagnostic) = await ReadDocumentAsync();

        Assert.Empty(diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.NotEmpty(document.Paths);
    }

    [Theory]
    [InlineData("CallRecord")]
    [InlineData("CallEvent")]
    [InlineData("TimelineView")]
    [InlineData("CallPage")]
    [InlineData("StatsView")]
    [InlineData("SubscriptionView")]
    [InlineData("DeliveryPage")]
    [InlineData("QuarantinePage")]
    [InlineData("ProblemDetails")]
    [InlineData("HttpValidationProblemDetails")]
    public async Task OpenApiDocument_Read_DescribesTheSchema(string schema)
    {
        var (document, _) = await ReadDocumentAsync();

        Assert.Contains(schema, document.Components!.Schemas!.Keys);
    }

    [Fact]
    public async Task OpenApiDocument_Read_EveryApiOperationIsNamedAndTypesItsSuccessAndProblems()
    {
        var (document, _) = await ReadDocumentAsync();
        var untyped = new List<string>();
        foreach (var (path, item) in document.Paths.Where(p => p.Key.StartsWith("/api/v1/", StringComparison.Ordinal)))
        {
            foreach (var (method, operation) in item.Operations!)
            {
                var success = operation.Responses!.Where(r => r.Key.StartsWith('2')).ToList();
                var typed = success.Count > 0 && success.All(r => r.Key == "204"
                    || (r.Value.Content ?? new Dictionary<string, OpenApiMediaType>()).Any(c => c.Key is "text/csv" or "text/event-stream" || c.Value.Schema is not null));
                var problems = operation.Responses!.Where(r => r.Key[0] is '4' or '5').ToList();
                if (operation.OperationId is null || !typed || !problems.Any(p => p.Key == "401")
                    || !problems.All(p => p.Value.Content?.ContainsKey("application/problem+json") == true))
                {
                    untyped.Add($"{method} {path}");
                }
            }
        }

        Assert.Empty(untyped);
    }

    [Fact]
    public async Task OpenApiDocument_Read_ListsEveryEventTypeAsAWebhookCarryingTheEvent()
    {
        var (document, _) = await ReadDocumentAsync();

        Assert.Equal(CallEventTypes.All.Order(), document.Webhooks!.Keys.Order());
        var body = document.Webhooks[CallEventTypes.Missed].Operations![HttpMethod.Post].RequestBody!.Content!["application/json"].Schema;
        Assert.Equal("CallEvent", Assert.IsType<OpenApiSchemaReference>(body).Reference.Id);
    }

    [Fact]
    public async Task GetCall_RealAnswer_MatchesTheDocumentsResponseSchema()
    {
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("c-doc", "89031234567", "84951234567", "101", T, wait: 7, talk: 60));
        var (document, _) = await ReadDocumentAsync();
        var operation = document.Paths["/api/v1/calls/{id}"].Operations![HttpMethod.Get];
        var schema = operation.Responses!["200"].Content!["application/json"].Schema!;

        using var answer = await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "c-doc")}");

        Assert.Equal("c-doc", answer.RootElement.Str("providerCallId"));
        Assert.Empty(DocumentSchema.Problems(schema, answer.RootElement));
    }

    [Fact]
    public async Task GetCall_UnknownId_AnswerMatchesTheDocumentsProblemSchema()
    {
        var (document, _) = await ReadDocumentAsync();
        var schema = document.Paths["/api/v1/calls/{id}"].Operations![HttpMethod.Get].Responses!["404"].Content!["application/problem+json"].Schema!;

        using var response = await hub.Client.GetAsync("/api/v1/calls/call_nothing");
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.NotFound);

        // Problem details may leave out optional members and add extensions (traceId); the types must still agree.
        Assert.DoesNotContain(DocumentSchema.Problems(schema, problem.RootElement), p => !p.Contains("missing from the", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApiReference_Get_ServesThePageAndItsScriptFromTheHub()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };

        var page = await anonymous.GetStringAsync("/api/reference/");
        using var glue = await anonymous.GetAsync("/api/reference/scalar.aspnetcore.js");
        using var script = await anonymous.GetAsync("/api/reference/scalar.js");

        // The page's script resolves this against the hub's own address.
        Assert.Contains("\"url\":\"openapi/v1.json\"", page);
        Assert.DoesNotContain("http", page, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.OK, glue.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }
}
