using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.Accounts;
using PbxHub.Ingest;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Providers;
using PbxHub.Tests.Fuzzing;

namespace PbxHub.IntegrationTests.Fuzzing;

/// <summary>
/// Hostile versions of each provider's real payloads, over real HTTP to a hub on the engine under test: never a 5xx,
/// every acknowledgement stored (as the event it parses to), every unreadable request quarantined and answered as
/// docs/quarantine.md says, nothing stored for a stranger, and no unhandled exception in the hub's log.
/// </summary>
public sealed class HookFuzzTests
{
    private const int RequestsPerProvider = 250;

    /// <summary>Kestrel's own limit on the request line (8 KiB): a longer URL is refused before the hub sees it.</summary>
    private static readonly HttpStatusCode[] ServerRefusals = [HttpStatusCode.RequestUriTooLong, HttpStatusCode.RequestHeaderFieldsTooLarge];

    private enum Caller
    {
        Provider,
        WrongSecret,
        UnknownAccount,
    }

    private sealed record Outcome(string Provider, Caller Caller, HostileRequest Request, string Query, HttpStatusCode Status, bool Quarantined);

    [Theory]
    [InlineData("sipuni")]
    [InlineData("hooktype")]
    [InlineData("evrotel")]
    public async Task Hook_HostileVersionsOfRealPayloads_NeverA5xxAndEveryAcknowledgementStored(string provider)
    {
        await using var fuzz = await FuzzHub.StartAsync();
        var outcomes = new ConcurrentQueue<Outcome>();
        var callers = Gen.Frequency((18, Gen.Const(Caller.Provider)), (1, Gen.Const(Caller.WrongSecret)), (1, Gen.Const(Caller.UnknownAccount)));

        await Gen.Select(HostileRequests.For(provider), callers).SampleAsync(async (hostile, caller) =>
        {
            using var message = MessageFor(fuzz, provider, hostile, caller);
            using var response = await fuzz.Hub.Client.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            var what = $"{caller} {hostile}\n=> {FuzzHub.Describe(response, body)}";
            Assert.True((int)response.StatusCode < 500, what + "\nHub log:\n" + string.Join("\n", fuzz.Logs.Entries.TakeLast(5)));
            AssertProviderAnswer(provider, caller, response, body, what);
            outcomes.Enqueue(new Outcome(provider, caller, hostile, message.RequestUri!.Query.TrimStart('?'), response.StatusCode, IsQuarantineAnswer(provider, response.StatusCode, body)));
        }, iter: RequestsPerProvider, threads: 2, print: t => $"{t.Item2} {t.Item1}");

        await AssertStoredAsync(fuzz, outcomes);
        Assert.True(fuzz.Logs.Unhandled.Count == 0, string.Join("\n\n", fuzz.Logs.Unhandled));
        Assert.Contains(outcomes, o => o.Status == HttpStatusCode.OK && !o.Quarantined);
        Assert.Contains(outcomes, o => o.Caller == Caller.Provider && o.Quarantined);
    }

    /// <summary>docs/quarantine.md: Evrotel's 400 with the reason; Sipuni's and HookType's 200 marked <c>quarantined</c>.</summary>
    private static bool IsQuarantineAnswer(string provider, HttpStatusCode status, string body)
    {
        if (provider == "evrotel")
        {
            return status == HttpStatusCode.BadRequest;
        }

        if (status != HttpStatusCode.OK)
        {
            return false;
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("quarantined", out var q) && q.GetBoolean();
    }

    private static HttpRequestMessage MessageFor(FuzzHub fuzz, string provider, HostileRequest hostile, Caller caller)
    {
        var (account, path) = FuzzHub.HookOf(provider);
        var token = provider == "evrotel" ? FuzzHub.EvrotelToken : null;
        (path, token) = caller switch
        {
            Caller.WrongSecret when provider == "evrotel" => (path, "not-the-token"),
            Caller.WrongSecret => ($"/hooks/{account}/not-the-secret", token),
            Caller.UnknownAccount => (path.Replace($"/hooks/{account}", "/hooks/nobody", StringComparison.Ordinal), token),
            _ => (path, token),
        };
        return fuzz.Message(hostile, path, token);
    }

    /// <summary>The answer each provider expects: docs/providers/ and the Ingest tests.</summary>
    private static void AssertProviderAnswer(string provider, Caller caller, HttpResponseMessage response, string body, string what)
    {
        var status = response.StatusCode;
        if (caller == Caller.UnknownAccount && !ServerRefusals.Contains(status))
        {
            Assert.True(status == HttpStatusCode.NotFound && FuzzHub.TypeOf(response)?.MediaType == "application/problem+json", what);
            return;
        }

        if (ServerRefusals.Contains(status))
        {
            return;
        }

        // The secret is checked before the body is read: a stranger is denied whatever the body's size.
        var expected = caller == Caller.WrongSecret
            ? [HttpStatusCode.Forbidden]
            : new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge };
        Assert.True(expected.Contains(status), what);
        if (provider == "evrotel")
        {
            Assert.True(FuzzHub.TypeOf(response)?.MediaType == "text/plain", what);
            Assert.True(status switch
            {
                HttpStatusCode.OK => body == "OK" || (body.Length == 15 && body.All(char.IsAsciiDigit)),
                HttpStatusCode.Forbidden => body == "Access denied",
                _ => body.Trim().Length > 0,
            }, what);
            return;
        }

        Assert.True(FuzzHub.TypeOf(response)?.MediaType == "application/json", what);
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("success").GetBoolean() == (status == HttpStatusCode.OK), what);
        if (status != HttpStatusCode.OK || IsQuarantineAnswer(provider, status, body))
        {
            Assert.True(json.RootElement.GetProperty("error").GetString() is { Length: > 0 }, what);
        }
    }

    /// <summary>
    /// Acknowledged: stored as a hook event under the dedupe key its parse gives (a repeat finds the original).
    /// Refused as unreadable: quarantined byte for byte. Anything else: nothing stored for it.
    /// </summary>
    private static async Task AssertStoredAsync(FuzzHub fuzz, IEnumerable<Outcome> outcomes)
    {
        var rows = await FuzzStore.RawEventsAsync(fuzz.Hub.DataDirectory);
        var services = fuzz.Hub.Services;
        var byKey = rows.ToLookup(r => (r.Account, r.DedupeKey));
        foreach (var o in outcomes.Where(o => o.Caller == Caller.Provider))
        {
            var (accountId, _) = FuzzHub.HookOf(o.Provider);
            var what = $"{o.Status} for {o.Request}";
            if (o.Quarantined)
            {
                Assert.True(
                    rows.Any(r => r.Account == accountId && r.Kind == RawKinds.Quarantined && r.Method == o.Request.Method && r.Query == o.Query && r.Body.AsSpan().SequenceEqual(o.Request.Body)),
                    "answered as quarantined but not quarantined: " + what);
            }
            else if (o.Status == HttpStatusCode.OK)
            {
                var account = (await services.GetRequiredService<AccountDirectory>().FindAsync(accountId))!;
                var raw = new RawRequest(o.Request.Method, o.Request.ContentType, o.Query, o.Request.Body, new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);
                var parsed = Assert.IsType<HookParse.Parsed>(services.GetRequiredService<ProviderRegistry>().Get(o.Provider).ParseSafely(account, raw));
                Assert.True(byKey[(accountId, parsed.DedupeKey)].Any(r => r.Kind == RawKinds.Hook), "acknowledged but not stored: " + what);
            }
            else
            {
                Assert.True(o.Status != HttpStatusCode.BadRequest, "400 without being quarantined: " + what);
            }
        }

        Assert.DoesNotContain(rows, r => r.Account == "nobody");
    }
}
