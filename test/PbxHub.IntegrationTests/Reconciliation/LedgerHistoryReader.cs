using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Reconciliation;

namespace PbxHub.IntegrationTests.Reconciliation;

/// <summary>
/// LedgerPbx's history over HTTP: <c>GET {Ledger:HistoryUrl}?since=UNIX&amp;until=UNIX&amp;page=N</c> answers
/// <c>{"rows":[…],"more":true|false}</c>; each row is stored as its own JSON object.
/// </summary>
internal sealed class LedgerHistoryReader(IHttpClientFactory clients, TimeProvider time) : IHistoryReader
{
    public string Provider => LedgerPbx.Name;

    public IEnumerable<string> SettingsProblems(Account account) =>
        account.Setting(LedgerPbx.HistoryUrlKey) is null ? [$"{LedgerPbx.HistoryUrlKey} is not set"] : [];

    public async IAsyncEnumerable<HistoryPage> ReadAsync(
        Account account, DateTimeOffset since, DateTimeOffset until, [EnumeratorCancellation] CancellationToken ct)
    {
        using var http = clients.CreateClient();
        for (var page = 1; ; page++)
        {
            var query = string.Create(CultureInfo.InvariantCulture, $"since={since.ToUnixTimeSeconds()}&until={until.ToUnixTimeSeconds()}&page={page}");
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync($"{account.Setting(LedgerPbx.HistoryUrlKey)}?{query}", ct);
            }
            catch (HttpRequestException ex)
            {
                throw new HistoryUnavailableException($"history request failed: {ex.Message}", ex);
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new HistoryUnavailableException($"history answered HTTP {(int)response.StatusCode}");
                }

                var body = await response.Content.ReadAsByteArrayAsync(ct);
                var receivedAt = RawRequest.Stamp(time);
                JsonObject? answer = null;
                try
                {
                    answer = JsonNode.Parse(body) as JsonObject;
                }
                catch (JsonException)
                {
                }

                if (answer?["rows"] is not JsonArray rows)
                {
                    yield return new HistoryPage.Garbage($"history {query}", Raw(body, receivedAt, response.Content.Headers.ContentType?.ToString()), "not a JSON object with rows");
                    yield break;
                }

                var calls = rows.OfType<JsonObject>()
                    .Select(r => Raw(JsonSerializer.SerializeToUtf8Bytes(r), receivedAt, "application/json"))
                    .Select(raw => (Raw: raw, Facts: Read(account, raw), Json: JsonNode.Parse(raw.Body)!))
                    .Where(r => r.Facts is not null)
                    .Select(r => new HistoryRow((string?)r.Json["call"], (string)r.Json["id"]!, r.Raw, r.Facts!))
                    .ToList();
                yield return new HistoryPage.Rows($"history {query}", calls);
                if (answer["more"]?.GetValue<bool>() != true)
                {
                    yield break;
                }
            }
        }
    }

    public HistoryFacts? Read(Account account, RawRequest row)
    {
        if (JsonNode.Parse(row.Body) is not JsonObject r)
        {
            return null;
        }

        static DateTimeOffset At(JsonNode? n) => DateTimeOffset.FromUnixTimeSeconds(n!.GetValue<long>());
        var from = (string)r["from"]!;
        var answered = r["answer"] is { } a ? At(a) : (DateTimeOffset?)null;
        var by = (string?)r["operator"];
        return new HistoryFacts(
            Directions.Inbound, new Party(from, "+" + from, null), LedgerPbx.Line, LedgerPbx.Line, At(r["start"]), answered, At(r["end"]),
            answered is null ? Outcomes.Missed : Outcomes.Answered, (int?)r["talk"] ?? 0, by is null ? null : new Party(by, null, by),
            (string?)r["status"], (string?)r["record"]);
    }

    private static RawRequest Raw(byte[] body, DateTimeOffset at, string? contentType) =>
        new("HISTORY", contentType, "", body, new Dictionary<string, string>(), at);
}
