using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CsCheck;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Fuzzing;

/// <summary>
/// Hostile input to every <c>/api/v1</c> endpoint: never a 5xx (but a provider's own failure on an outbound call, which
/// goes to a port nobody listens on), every answer that is not 2xx a problem document with its status and no stack
/// trace or exception name, and no unhandled exception in the hub's log.
/// </summary>
public sealed class ApiFuzzTests
{
    private const int KestrelRequestLineLimit = 8 * 1024;

    [Fact]
    public async Task Api_HostileQueriesIdsAndBodies_ProblemDetailsNever5xx()
    {
        await using var fuzz = await FuzzHub.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:3:Id"] = "uis",
            ["PbxHub:Accounts:3:Provider"] = "uis",
            ["PbxHub:Accounts:3:Uis:BaseUrl"] = FuzzHub.NowhereUrl,
            ["PbxHub:Accounts:3:Uis:Login"] = "login",
            ["PbxHub:Accounts:3:Uis:Password"] = "password",
        });
        var subscription = await SubscribeAsync(fuzz.Hub.Client);

        await ApiRequests.All(subscription).SampleAsync(r => SendAsync(fuzz, r), iter: 700, threads: 2, print: r => r.ToString());

        Assert.True(fuzz.Logs.Unhandled.Count == 0, string.Join("\n\n", fuzz.Logs.Unhandled));
    }

    [Fact]
    public async Task Accounts_HostileBodiesAndIds_ProblemDetailsNever5xx()
    {
        await using var fuzz = await FuzzHub.StartAsync();

        await ApiRequests.Accounts().SampleAsync(r => SendAsync(fuzz, r), iter: 300, threads: 2, print: r => r.ToString());

        Assert.True(fuzz.Logs.Unhandled.Count == 0, string.Join("\n\n", fuzz.Logs.Unhandled));
    }

    private static async Task<string> SubscribeAsync(HttpClient client)
    {
        using var created = await client.PostAsJsonAsync("/api/v1/subscriptions", new { url = FuzzHub.NowhereUrl + "/hook" });
        using var json = await created.ReadJsonAsync();
        return json.RootElement.Str("id")!;
    }

    private static async Task SendAsync(FuzzHub fuzz, ApiRequest r)
    {
        using var message = new HttpRequestMessage(new HttpMethod(r.Method), r.Path);
        if (r.Body is not null)
        {
            message.Content = new ByteArrayContent(r.Body);
            if (r.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", r.ContentType);
            }
        }

        // The live stream never ends: its headers are the answer.
        HttpResponseMessage sent;
        try
        {
            sent = await fuzz.Hub.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException) when (r.Path.Length > KestrelRequestLineLimit)
        {
            // Kestrel answers 414 and closes the connection as soon as the line passes its limit; a client still
            // writing a longer line can see that close before the answer. The hub must still answer afterwards.
            using var health = await fuzz.Hub.Client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            return;
        }

        using var response = sent;
        var status = (int)response.StatusCode;
        var type = response.Content.Headers.ContentType?.MediaType;
        if (type == "text/event-stream")
        {
            Assert.True(status == 200, $"{r} => {status} stream");
            return;
        }

        var body = await response.Content.ReadAsStringAsync();
        var what = $"{r}\n=> HTTP {status} [{type}] {(body.Length > 600 ? body[..600] + "…" : body)}\nHub log:\n{string.Join("\n", fuzz.Logs.Unhandled.TakeLast(3))}";
        var outbound = r.Path.StartsWith("/api/v1/calls", StringComparison.Ordinal) && r.Method == "POST" || r.Path.StartsWith("/api/v1/autodial", StringComparison.Ordinal);
        Assert.True(status < 500 || (outbound && status is 502 or 504), what);
        if (status is >= 200 and < 300)
        {
            return;
        }

        // Kestrel's request-line limit (8 KiB), before the hub sees the request; measured as sent, percent-encoded.
        var sentTarget = response.RequestMessage?.RequestUri?.PathAndQuery ?? r.Path;
        if (response.StatusCode is HttpStatusCode.RequestUriTooLong or HttpStatusCode.RequestHeaderFieldsTooLarge && sentTarget.Length > KestrelRequestLineLimit - 200)
        {
            return;
        }

        Assert.True(type == "application/problem+json", what);
        using var problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.TryGetProperty("status", out var s) && s.GetInt32() == status, what);
        Assert.False(body.Contains("Exception", StringComparison.Ordinal) || body.Contains("   at ", StringComparison.Ordinal) || body.Contains("PbxHub.", StringComparison.Ordinal), what);
    }
}
