using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Reconciliation;

/// <summary>LedgerPbx's call history, served over real HTTP from the rows a test put in it.</summary>
internal sealed class LedgerHistoryServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LedgerHistoryServer(WebApplication app)
    {
        this.app = app;
        Url = TestKestrel.BaseUrl(app) + "/history";
    }

    public string Url { get; }

    public ConcurrentQueue<JsonObject> Rows { get; } = new();

    public int PageSize { get; set; } = 100;

    /// <summary>Answer every request with this status instead (e.g. 503); null: answer.</summary>
    public int? FailWith { get; set; }

    /// <summary>Answer every request with these bytes instead; null: answer.</summary>
    public string? Garbage { get; set; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<LedgerHistoryServer> StartAsync()
    {
        var app = TestKestrel.Create();
        LedgerHistoryServer? server = null;
        app.MapGet("/history", (HttpRequest request) => server!.Answer(request));
        await app.StartAsync();
        server = new LedgerHistoryServer(app);
        return server;
    }

    /// <summary>A row of the history as LedgerPbx writes it.</summary>
    public void Add(string id, string? call, DateTimeOffset start, DateTimeOffset? answer, DateTimeOffset end, string? op = "101", string? record = null) =>
        Rows.Enqueue(new JsonObject
        {
            ["id"] = id, ["call"] = call, ["from"] = LedgerPbx.Client.Raw, ["start"] = start.ToUnixTimeSeconds(),
            ["answer"] = answer?.ToUnixTimeSeconds(), ["end"] = end.ToUnixTimeSeconds(),
            ["talk"] = answer is null ? 0 : (int)(end - answer.Value).TotalSeconds, ["operator"] = answer is null ? null : op,
            ["status"] = answer is null ? "NOANSWER" : "ANSWER", ["record"] = record,
        });

    private IResult Answer(HttpRequest request)
    {
        Requests.Enqueue(request.QueryString.Value ?? "");
        if (FailWith is { } status)
        {
            return Results.StatusCode(status);
        }

        if (Garbage is { } garbage)
        {
            return Results.Text(garbage, "text/html");
        }

        long Q(string name) => long.Parse(request.Query[name].ToString(), CultureInfo.InvariantCulture);
        var matching = Rows.Where(r => r["start"]!.GetValue<long>() >= Q("since") && r["start"]!.GetValue<long>() < Q("until"))
            .OrderBy(r => r["start"]!.GetValue<long>()).ToList();
        var page = (int)Q("page");
        var rows = matching.Skip((page - 1) * PageSize).Take(PageSize).Select(r => r.DeepClone()).ToArray();
        return Results.Text(new JsonObject { ["rows"] = new JsonArray(rows), ["more"] = matching.Count > page * PageSize }.ToJsonString(), "application/json");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
