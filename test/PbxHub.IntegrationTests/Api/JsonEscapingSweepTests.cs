using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.Connectors.Bitrix24;
using PbxHub.Providers;
using PbxHub.IntegrationTests.Connectors.Bitrix24;
using PbxHub.IntegrationTests.Dashboard;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Outbound;
using PbxHub.Providers.Evrotel;
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
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0",
            new EvrotelEmulatorOptions { Token = OutboundHub.EvrotelToken, BillCode = "20558" }, TimeProvider.System);
        await using var subscriber = await Subscriber.StartAsync();
        var sent = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var hub = await OutboundHub.StartAsync(uis, evrotel, configure: b =>
            b.Services.AddHttpClient(OutboundHttp.ClientName).AddHttpMessageHandler(() => new BodyCapture(sent)));
        var bodies = new Dictionary<string, string>();
        await hub.Client.SubscribeAsync(subscriber.Url, new { description = "Отдел продаж +7" });
        await using var stream = await SseClient.ConnectAsync(hub.Client, "/api/v1/stream");

        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("esc-1", "89161234567", "74951234567", "101", 1_700_000_000));
        using (var bad = new StringContent("event=1&call_id=esc-q&src_num=+79031234567&src_type=1&dst_num=84951234567&dst_type=1&name=Иван&timestamp=вчера", Encoding.UTF8, "application/x-www-form-urlencoded"))
        using (var quarantined = await hub.Client.PostAsync(hub.HookPath, bad))
        {
            bodies["quarantined hook's answer"] = await quarantined.Content.ReadAsStringAsync();
        }

        using (var placed = await hub.Client.PostAsJsonAsync("/api/v1/calls", new
        {
            account = OutboundHub.UisAccount, @operator = "89164572521", client = "+7 495 989-16-28",
            options = new { numa_message = new { type = "text", value = "Вам звонит компания «Ромашка» +7" } },
        }))
        {
            bodies["POST /calls placed"] = await placed.Content.ReadAsStringAsync();
            Assert.True(placed.StatusCode == HttpStatusCode.OK, bodies["POST /calls placed"]);
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

        foreach (var (name, channels) in new[] { ("autodial placed", 1), ("autodial stereo WAV (400)", 2) })
        {
            using var form = new MultipartFormDataContent { { new StringContent(OutboundHub.EvrotelAccount), "account" } };
            var file = new ByteArrayContent(WavFormat.Silence(channels, 8000, 16, TimeSpan.FromSeconds(1)));
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("audio/wav");
            form.Add(file, "file", "Приветствие +1.wav");
            using var answer = await hub.Client.PostAsync("/api/v1/autodial", form);
            bodies[name] = await answer.Content.ReadAsStringAsync();
            Assert.Equal(channels == 1 ? HttpStatusCode.OK : HttpStatusCode.BadRequest, answer.StatusCode);
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

        // What the hub sends to the provider, too.
        Assert.Contains(sent, b => Escaped().IsMatch(b) || b.Contains("Вам звонит компания «Ромашка» +7", StringComparison.Ordinal));
        Assert.DoesNotContain(sent, b => Escaped().IsMatch(b));
        Assert.Empty(bodies.Where(b => Escaped().IsMatch(b.Value)).Select(b => $"{b.Key}: {b.Value}"));
        Assert.Contains("вчера", bodies["quarantined hook's answer"], StringComparison.Ordinal);
        Assert.Contains("+79161234567", bodies["webhook"], StringComparison.Ordinal);
        Assert.Contains("+7 495 989-16-28", bodies["POST /calls placed"], StringComparison.Ordinal);
        Assert.Contains("\"providerCode\":\"-32004\"", bodies["POST /calls over UIS's limit"], StringComparison.Ordinal);
        Assert.Contains("+7 916 Иван", bodies["POST /calls invalid (400)"], StringComparison.Ordinal);
        Assert.Contains("Иван", bodies["GET /api/v1/quarantine"], StringComparison.Ordinal);
        Assert.Contains("Отдел продаж +7", bodies["GET /api/v1/subscriptions"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectorDeliveriesLog_CallWithPlusNumber_WrittenAsIs()
    {
        await using var rig = await Bitrix24Rig.StartAsync();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath,
            SipuniHooks.AnsweredInbound("esc-b24", Bitrix24Rig.Client, Bitrix24Rig.Line, "101", DashboardTraffic.Now - 60));
        await Webhooks.WaitUntilAsync(() => rig.Portal.Accepted.Any(r => r.Method == "telephony.externalCall.finish"), "the call reached the CRM");
        string log;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(100);
            log = await rig.Hub.Client.GetStringAsync("/api/v1/connectors/b24/deliveries");
        }
        while (!log.Contains("telephony.externalCall.finish", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10));

        var connectors = await rig.Hub.Client.GetStringAsync("/api/v1/connectors");

        Console.WriteLine(log);
        Assert.Contains("telephony.externalCall.finish", log, StringComparison.Ordinal);
        Assert.Contains("+74951234567", log, StringComparison.Ordinal);
        Assert.DoesNotMatch(Escaped(), log);
        Assert.DoesNotMatch(Escaped(), connectors);
    }

    [Fact]
    public async Task ConnectorRequests_CallWithPlusNumber_SentAsIs()
    {
        var sent = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var rig = await Bitrix24Rig.StartAsync(configure: b =>
            b.Services.AddHttpClient(Bitrix24Client.ClientName).AddHttpMessageHandler(() => new BodyCapture(sent)));
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath,
            SipuniHooks.AnsweredInbound("esc-b24-sent", Bitrix24Rig.Client, Bitrix24Rig.Line, "101", DashboardTraffic.Now - 60));
        await Webhooks.WaitUntilAsync(() => rig.Portal.Accepted.Any(r => r.Method == "telephony.externalCall.finish"), "the call reached the CRM");

        var register = Assert.Single(sent, b => b.Contains("79161234567", StringComparison.Ordinal) && b.Contains("USER_ID", StringComparison.Ordinal));
        Assert.Contains("\"+79161234567\"", register, StringComparison.Ordinal);
        Assert.DoesNotContain(sent, b => Escaped().IsMatch(b));
    }

    /// <summary>Keeps each request body the hub sends, as bytes on the wire.</summary>
    private sealed class BodyCapture(System.Collections.Concurrent.ConcurrentQueue<string> bodies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                await request.Content.LoadIntoBufferAsync(cancellationToken);
                bodies.Enqueue(Encoding.UTF8.GetString(await request.Content.ReadAsByteArrayAsync(cancellationToken)));
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A '+' or a Cyrillic letter written as a JSON \u escape.</summary>
    [GeneratedRegex(@"\\u(002[Bb]|04[0-9A-Fa-f]{2})")]
    private static partial Regex Escaped();
}
