using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Providers;
using PbxHub.Providers.Uis;
using static PbxHub.Simulation.Emulators.UisEmulatorDataApiRules;

namespace PbxHub.Simulation.Emulators;

/// <summary>
/// The UIS stand-in's Data API v2.0 at POST <c>/v2.0</c> (docs/providers/uis.md#call-history): <c>get.calls_report</c> and
/// <c>get.call_legs_report</c> from its <see cref="HistoryBook"/>, with the documentation's rules (the key, the
/// required dates, at most 3 months, <c>limit</c> ≤ 10 000, <c>offset</c> ≤ 100 000, known <c>fields</c>, simple id filters) and
/// its error shape. <c>POST /_emulator/history</c> adds calls; <c>POST /_emulator/history/misbehave?mode=…&amp;after=n</c>
/// makes the Data API answer an error (a mnemonic), <c>garbage</c> or <c>http500</c> after <c>n</c> good answers.
/// </summary>
internal static class UisEmulatorDataApi
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static void Map(WebApplication app, UisEmulatorOptions options, TimeProvider time)
    {
        var served = 0;
        app.MapPost("/v2.0", async (HttpRequest request, CancellationToken ct) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync(ct);
            if (options.Misbehaviour is { } mode && Interlocked.Increment(ref served) > options.MisbehaveAfter)
            {
                return mode switch
                {
                    "garbage" => Results.Text("<html><body>502 Bad Gateway</body></html>", "text/html", statusCode: 200),
                    "http500" => Results.Text("Internal Server Error", "text/plain", statusCode: 500),
                    _ => Error(null, Errors.ContainsKey(mode) ? mode : "internal_error", null),
                };
            }

            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                return Error(null, "parse_error", null);
            }

            if (parsed is not JsonObject rpc || (string?)rpc["jsonrpc"] != "2.0" || rpc["id"] is not JsonValue id || rpc["method"] is not JsonValue method
                || rpc["params"] is not JsonObject p)
            {
                return Error(parsed?["id"]?.DeepClone(), "invalid_request", null);
            }

            return (string?)method switch
            {
                "get.calls_report" => Report(id, p, options, time, legs: false),
                "get.call_legs_report" => Report(id, p, options, time, legs: true),
                _ => Error(id.DeepClone(), "method_not_found", null),
            };
        });
        app.MapPost("/_emulator/history", async (HttpRequest request, CancellationToken ct) =>
        {
            var calls = await JsonSerializer.DeserializeAsync<List<HistoryCall>>(request.Body, Web, ct) ?? [];
            options.History.Add(calls);
            return Results.Json(new { added = calls.Count, total = options.History.Count });
        });
        app.MapPost("/_emulator/history/misbehave", (string? mode, int? after) =>
        {
            options.Misbehaviour = mode is null or "none" ? null : mode;
            options.MisbehaveAfter = after ?? 0;
            Interlocked.Exchange(ref served, 0);
            return Results.Json(new { mode = options.Misbehaviour, after = options.MisbehaveAfter });
        });
    }

    private static IResult Report(JsonValue id, JsonObject p, UisEmulatorOptions options, TimeProvider time, bool legs)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        var known = legs ? UisEmulatorHistory.LegFields : UisEmulatorHistory.CallFields;
        string[] allowed = ["access_token", "user_id", "limit", "offset", "filter", "fields", "sort", "date_from", "date_till", .. legs ? Array.Empty<string>() : ["include_ongoing_calls"]];
        if (p.Select(kv => kv.Key).FirstOrDefault(k => !allowed.Contains(k)) is { } unexpected)
        {
            return Error(id, "unexpected_parameters", unexpected);
        }

        foreach (var required in (string[])["access_token", "date_from", "date_till"])
        {
            if (p[required] is not JsonValue v || !v.TryGetValue<string>(out _))
            {
                return Error(id, "required_parameter_missed", required);
            }
        }

        if ((string)p["access_token"]! != options.AccessToken)
        {
            return Error(id, "access_token_invalid", null);
        }

        if (Wall((string)p["date_from"]!) is not { } from || Wall((string)p["date_till"]!) is not { } till || till < from)
        {
            return Error(id, "invalid_parameter_value", Wall((string)p["date_from"]!) is null ? "date_from" : "date_till");
        }

        if (till > from.AddMonths(3))
        {
            return Error(id, "date_interval_limit_reached", "date_till");
        }

        var limit = Int(p, "limit", 1000);
        var offset = Int(p, "offset", 0);
        if (limit is not (>= 1 and <= 10_000) || offset is not (>= 0 and <= 100_000))
        {
            return Error(id, "invalid_parameter_value", limit is not (>= 1 and <= 10_000) ? "limit" : "offset");
        }

        var fields = p["fields"] is JsonArray f ? f.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").ToArray() : null;
        if (fields?.FirstOrDefault(x => !known.Contains(x)) is { } unknownField)
        {
            return Error(id, "unexpected_parameters", $"fields.{unknownField}");
        }

        var filter = Filter(p["filter"], legs ? "call_session_id" : "id");
        if (filter is null)
        {
            return Error(id, "filter_prohibited", "filter");
        }

        var since = LocalTimes.FromWallClock(from, zone);
        var calls = options.History.Between(since, LocalTimes.FromWallClock(till, zone).AddSeconds(1))
            .Where(c => c.EndedAt <= time.GetUtcNow() || (p["include_ongoing_calls"] is JsonValue o && o.TryGetValue<bool>(out var ongoing) && ongoing));
        var rows = (legs ? calls.SelectMany(c => UisEmulatorHistory.Legs(c, zone)) : calls.Select(c => UisEmulatorHistory.Call(c, zone)))
            .Where(r => filter(r[legs ? "call_session_id" : "id"]))
            .ToList();
        var page = rows.Skip(offset!.Value).Take(limit!.Value)
            .Select(r => (JsonNode)new JsonObject(r.Where(kv => (fields ?? (legs ? known : UisEmulatorHistory.CallDefaults)).Contains(kv.Key))
                .Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))))
            .ToArray();
        var result = new JsonObject
        {
            ["data"] = new JsonArray(page),
            ["metadata"] = new JsonObject
            {
                ["total_items"] = rows.Count,
                ["limits"] = new JsonObject
                {
                    ["day_limit"] = 10_000, ["day_remaining"] = 9_000, ["day_reset"] = 3600, ["minute_limit"] = 1000, ["minute_remaining"] = options.MinuteRemaining, ["minute_reset"] = 30,
                },
            },
        };
        return Results.Text(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["result"] = result }.ToJsonString(), "application/json");
    }
}
