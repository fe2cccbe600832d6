using System.Text.Json.Nodes;
using PbxHub.Accounts;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Tests.Providers.Uis;

/// <summary>The UIS stand-in with the document's example credentials, and an account pointing at it.</summary>
internal static class UisFixture
{
    public const string ServiceNumber = "74993720692";

    public static Task<EmulatorHost> StartAsync(TimeProvider time, TimeSpan? sessionLifetime = null, TimeSpan? slowDelay = null) =>
        UisEmulator.StartAsync("http://127.0.0.1:0", new UisEmulatorOptions
        {
            Login = "bbb", Password = "bbb", SessionLifetime = sessionLifetime ?? TimeSpan.FromHours(1),
            ServiceNumbers = [ServiceNumber], SlowDelay = slowDelay ?? TimeSpan.FromSeconds(60),
        }, time);

    public static Account Account(EmulatorHost uis, string password = "bbb") => new(
        "acme-uis", "uis", "", "Europe/Moscow", "RU",
        new Dictionary<string, string>
        {
            ["Uis:BaseUrl"] = uis.BaseUrl, ["Uis:Login"] = "bbb", ["Uis:Password"] = password, ["Uis:ServiceNumber"] = "+7 (499) 372-06-92",
        },
        AccountSources.Configuration);

    public static IReadOnlyList<JsonObject> Rpc(EmulatorHost uis, string method) =>
        uis.Requests.Select(r => JsonNode.Parse(r.Body)!.AsObject()).Where(j => (string?)j["method"] == method).ToList();

    /// <summary>The request as sent, with its id and session key replaced by fixed text so it can be compared byte for byte.</summary>
    public static string Normalised(JsonObject request)
    {
        var copy = request.DeepClone().AsObject();
        Assert.True(copy["id"]!.GetValueKind() == System.Text.Json.JsonValueKind.Number, "id must be an integer");
        copy["id"] = 1;
        if (copy["params"]!["session_key"] is { } key)
        {
            Assert.Matches("^[0-9a-f]{40}$", (string)key!);
            copy["params"]!["session_key"] = "KEY";
        }

        return copy.ToJsonString();
    }
}
