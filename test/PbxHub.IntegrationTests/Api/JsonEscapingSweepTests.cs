using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Outbound;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Api;

/// <summary>Every JSON the hub writes spells "+7…" and Cyrillic as they are, never as \u escapes (docs/json.md).</summary>
public sealed partial class JsonEscapingSweepTests
{
    [Fact]
    public async Task EveryJsonBody_PlusAndCyrillic_WrittenAsIs()
    {
        await using var uis = await UisEmulator.StartAsync("http://127.0.0.1:0",
            new UisEmulatorOptions { Login = "bbb", Password = "bbb", ServiceNumbers = ["74993720692"] }, TimeProvider.System);
        await using var subscriber = await Subscriber.StartAsync();
        await using var hub = await OutboundHub.StartAsync(uis, null);
        var bodies = new Dictionary<string, string>();
        await hub.Client.SubscribeAsync(subscriber.Url, new { description = "Отдел продаж +7" });
        await using var stream = await SseClient.ConnectAsync(hub.Client, "/api/v1/stream");

        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("esc-1", "89161234567", "74951234567", "101", 1_700_000_000));
        using (var bad = new StringContent("event=9&src_num=+79031234567&name=Иван&timestamp=1700000000", Encoding.UTF8, "application/x-www-form-urlencoded"))
        using (var quarantined = await hub.Client.PostAsync(hub.HookPath, bad))
        {
            bodies["quarantined hook's answer"] = await quarantined.Content.ReadAsStringAsync();
        }

        using (var placed = await hub.Client.PostAsJsonAsync("/api/v1/calls", new { account = OutboundHub.UisAccount, @operator = "89164572521", client = "+7 495 989-16-28" }))
        {
            bodies["POST /calls placed"] = await placed.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, placed.StatusCode);
        }

        using (var limited = await hub.Client.PostAsJsonAsync("/api/v1/calls", new { account = OutboundHub.UisAccount, @operator = "+79164572521", client = "+7 999 003-20-04" }))
        {
            bodies["POST /calls over UIS's limit"] = await limited.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(60), limited.Headers.RetryAfter?.Delta);
        }

        using (var invalid = await hub.Client.PostAsJsonAsync("/api/v1/calls", new { account = OutboundHub.UisAccount, @operator = "+7 916 Иван", client = "+7 495 989-16-28" }))
        {
            bodies["POST /calls invalid (400)"] = await invalid.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        bodies["stream"] = string.Join("\n", (await stream.TakeAsync(1, TimeSpan.FromSeconds(15))).Select(e => e.Data));
        foreach (var path in new[] { "/api/v1/calls", "/api/v1/calls/requests", "/api/v1/quarantine", "/api/v1/accounts", "/api/v1/subscriptions" })
        {
            bodies["GET " + path] = await hub.Client.GetStringAsync(path);
        }

        for (var i = 0; i < 200 && subscriber.Delivered.FirstOrDefault() is null; i++)
        {
            await Task.Delay(50);
        }

        bodies["webhook"] = Assert.IsType<ReceivedWebhook>(subscriber.Delivered.FirstOrDefault()).Text;

        Assert.Empty(bodies.Where(b => Escaped().IsMatch(b.Value)).Select(b => $"{b.Key}: {b.Value}"));
        Assert.Contains("+79161234567", bodies["webhook"], StringComparison.Ordinal);
        Assert.Contains("+7 495 989-16-28", bodies["POST /calls placed"], StringComparison.Ordinal);
        Assert.Contains("\"providerCode\":\"-32004\"", bodies["POST /calls over UIS's limit"], StringComparison.Ordinal);
        Assert.Contains("+7 916 Иван", bodies["POST /calls invalid (400)"], StringComparison.Ordinal);
        Assert.Contains("Иван", bodies["GET /api/v1/quarantine"], StringComparison.Ordinal);
        Assert.Contains("Отдел продаж +7", bodies["GET /api/v1/subscriptions"], StringComparison.Ordinal);
    }

    /// <summary>A '+' or a Cyrillic letter written as a JSON \u escape.</summary>
    [GeneratedRegex(@"\\u(002[Bb]|04[0-9A-Fa-f]{2})")]
    private static partial Regex Escaped();
}
