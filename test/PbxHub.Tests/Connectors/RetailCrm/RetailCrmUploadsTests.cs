using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using PbxHub.Connectors;
using PbxHub.Connectors.RetailCrm;

namespace PbxHub.Tests.Connectors.RetailCrm;

public sealed class RetailCrmUploadsTests
{
    private static readonly ConnectorOptions Connector = new()
    {
        Id = "rc", Crm = "retailcrm",
        RetailCrm = new() { BaseUrl = "https://example.retailcrm.ru", ApiKey = "key", Code = "pbxhub", UploadWindow = TimeSpan.FromMilliseconds(200) },
    };

    private static JsonObject Call(string id) => new() { ["date"] = "2025-11-24 19:00:00", ["type"] = "in", ["phone"] = "+79161234567", ["externalId"] = id };

    [Fact]
    public async Task Upload_HundredAndTwentyCallsAtOnce_ThreeRequestsOfAtMostFiftyEachCallItsOwnAnswer()
    {
        var system = new System();
        var uploads = new RetailCrmUploads(new RetailCrmClient(system), TimeProvider.System);

        var answers = await Task.WhenAll(Enumerable.Range(0, 120).Select(i => uploads.UploadAsync(Connector, Call($"c{i}"), CancellationToken.None)));

        Assert.All(answers, a => Assert.True(a.Ok));
        Assert.Equal([50, 50, 20], system.Batches.Select(b => b.Count).Order().Reverse());
        Assert.Equal(120, system.Batches.SelectMany(b => b).Distinct().Count());
    }

    [Fact]
    public async Task Upload_BatchRefusedAsInvalid_EachCallAskedAloneOnlyTheBadOneFails()
    {
        var system = new System { Refuse = "bad" };
        var uploads = new RetailCrmUploads(new RetailCrmClient(system), TimeProvider.System);

        var answers = await Task.WhenAll(new[] { "good-1", "bad", "good-2" }.Select(id => uploads.UploadAsync(Connector, Call(id), CancellationToken.None)));

        Assert.Equal([true, false, true], answers.Select(a => a.Ok));
        Assert.True(answers[1].Answer.Outcome("calls/upload").Final);
        Assert.Equal([3, 1, 1, 1], system.Batches.Select(b => b.Count).Order().Reverse());
    }

    /// <summary>RetailCRM's calls/upload as far as batching goes: refuses a request holding <see cref="Refuse"/>, or more than 50 calls.</summary>
    private sealed class System : DelegatingHandler, IHttpClientFactory
    {
        public ConcurrentQueue<IReadOnlyList<string>> Batches { get; } = new();

        public string? Refuse { get; init; }

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var form = await request.Content!.ReadAsStringAsync(cancellationToken);
            var calls = JsonNode.Parse(Uri.UnescapeDataString(form["calls=".Length..].Replace('+', ' ')))!.AsArray();
            var ids = calls.Select(c => (string)c!["externalId"]!).ToList();
            Batches.Enqueue(ids);
            var refused = ids.Count > 50 || (Refuse is { } bad && ids.Contains(bad));
            return new HttpResponseMessage(refused ? HttpStatusCode.BadRequest : HttpStatusCode.OK)
            {
                Content = new StringContent(refused
                    ? """{"success":false,"errorMsg":"Errors in the entity format","errors":{"calls[0].phone":"This value is not valid."}}"""
                    : $$"""{"success":true,"processedCallsCount":{{ids.Count}},"duplicateCalls":[]}"""),
            };
        }
    }
}
