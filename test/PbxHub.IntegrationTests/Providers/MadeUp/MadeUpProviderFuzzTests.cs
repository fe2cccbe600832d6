using System.Net;
using System.Net.Http.Json;
using CsCheck;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Providers;
using PbxHub.Tests.Fuzzing;

namespace PbxHub.IntegrationTests.Providers.MadeUp;

/// <summary>A made-up provider's fuzz seeds come from its one registration (docs/adding-a-provider.md): nothing else names them.</summary>
public sealed class MadeUpProviderFuzzTests
{
    [Fact]
    public async Task Hook_HostileVersionsOfTheMadeUpProvidersRegisteredExamples_NeverA5xxAndSomeAccepted()
    {
        await using var hub = await HubServer.StartAsync(configure: b => b.Services.AddProvider(TinyPbx.Descriptor));
        using (var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "tiny", provider = TinyPbx.Name, secret = "tiny-secret-0123456789" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var seeds = RealPayloads.For(TinyPbx.Descriptor);
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();

        await HostileRequests.For(TinyPbx.Descriptor).SampleAsync(async hostile =>
        {
            using var message = Message(hub, hostile, "/hooks/tiny/tiny-secret-0123456789");
            using var response = await hub.Client.SendAsync(message);
            Assert.True((int)response.StatusCode < 500, $"{hostile} => HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            statuses.Add(response.StatusCode);
        }, iter: 150, threads: 2, print: h => h.ToString());

        Assert.Equal(["start", "end"], seeds.Select(s => s.Name));
        Assert.Equal("e1", Assert.Single(seeds[0].Fields, f => f.Name == "call").Value);
        Assert.Contains(HttpStatusCode.OK, statuses);
    }

    private static HttpRequestMessage Message(HubServer hub, HostileRequest hostile, string path)
    {
        var message = new HttpRequestMessage(new HttpMethod(hostile.Method), new Uri(hub.BaseUrl.TrimEnd('/') + path + (hostile.Query.Length > 0 ? "?" + hostile.Query : "")));
        if (hostile.Body.Length > 0 || hostile.Method == "POST")
        {
            message.Content = new ByteArrayContent(hostile.Body);
            if (hostile.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", hostile.ContentType);
            }
        }

        return message;
    }
}
