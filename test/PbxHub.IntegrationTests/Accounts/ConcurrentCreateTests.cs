using System.Net;
using System.Net.Http.Json;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Accounts;

/// <summary>Found by Fuzzing/ApiFuzzTests: the same account created by two requests at once answered one of them 500.</summary>
public sealed class ConcurrentCreateTests
{
    [Fact]
    public async Task CreateAccount_SameIdManyAtOnce_OneCreatedTheOthers409()
    {
        await using var hub = await HubServer.StartAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "acme", provider = "sipuni", secret = "acme-secret-123" })));

        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
            foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            {
                using var problem = await HttpJson.AssertProblemAsync(conflict, HttpStatusCode.Conflict);
            }
        }
        finally
        {
            Array.ForEach(responses, r => r.Dispose());
        }
    }
}
