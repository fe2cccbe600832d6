using System.Text;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Providers.Evrotel;

/// <summary>A hub with an Evrotel account in Kyiv besides the demo account, and Evrotel's transmitter.</summary>
internal static class EvrotelHub
{
    public const string AccountId = "kyiv";
    public const string Token = "G7bng65jYk8GF294";
    public const string RecordingBaseUrl = "https://records.evrotel.example/calls";
    public const string HookPath = "/hooks/" + AccountId;

    public static Task<HubServer> StartAsync() => HubServer.StartAsync(new Dictionary<string, string>
    {
        ["PbxHub:Accounts:1:Id"] = AccountId,
        ["PbxHub:Accounts:1:Provider"] = "evrotel",
        ["PbxHub:Accounts:1:TimeZone"] = "Europe/Kyiv",
        ["PbxHub:Accounts:1:Evrotel:Token"] = Token,
        ["PbxHub:Accounts:1:Evrotel:RecordingBaseUrl"] = RecordingBaseUrl,
    });

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "evrotel", name));

    /// <summary>
    /// POSTs a body the way Evrotel's PHP transmitter does: <c>Authorization: &lt;token&gt;</c> (none when null),
    /// from a client without the hub's API key.
    /// </summary>
    public static async Task<(HttpResponseMessage Response, string Body)> PostAsync(
        HubServer hub, string body, string? authorization = Token, string? contentType = null, string path = HookPath)
    {
        using var client = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8,
                contentType ?? (body.TrimStart().StartsWith('{') ? "application/json" : "application/x-www-form-urlencoded")),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }
}
