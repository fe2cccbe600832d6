using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Calls;
using PbxHub.Providers;

namespace PbxHub.Simulation.Emulators;

/// <summary>
/// The Evrotel stand-in's statistics page (docs/providers/evrotel.md#call-history): <c>GET /statusers/stat_{billcode}.php
/// ?billcode=…&amp;start=YYYY-MM-DD</c> answers <c>{"calls": [...]}</c> with the rows of the calls of its
/// <see cref="HistoryBook"/> that started that day on Evrotel's wall clock, written as the public integration's sample
/// answer writes them (<c>calldate</c> the wall clock labelled <c>+00:00</c>, <c>recfile</c> under <c>/var/www/html</c>).
/// <c>POST /_emulator/history</c> adds calls; <c>POST /_emulator/history/fault?mode=error|garbage|none</c> makes the page
/// answer 500, or HTML instead of JSON, until set back.
/// </summary>
internal static class EvrotelEmulatorHistory
{
    private static readonly JsonSerializerOptions Camel = new(JsonSerializerDefaults.Web);

    public static void Map(WebApplication app, EvrotelEmulatorOptions options, HistoryBook book)
    {
        var fault = "none";
        app.MapGet("/statusers/{page}", (string page, HttpRequest r) => fault switch
        {
            "error" => Results.Text("Internal Server Error", statusCode: 500),
            "garbage" => Results.Text("<html><body><b>Fatal error</b>: Allowed memory size exhausted</body></html>", "text/html"),
            _ => Page(page, r, options, book),
        });
        app.MapPost("/_emulator/history", async (HttpRequest r) =>
        {
            List<HistoryCall>? calls;
            try
            {
                calls = await JsonSerializer.DeserializeAsync<List<HistoryCall>>(r.Body, Camel);
            }
            catch (JsonException ex)
            {
                return Results.Json(new { result = "error", error = ex.Message }, statusCode: 400);
            }

            book.Add(calls ?? []);
            return Results.Json(new { added = calls?.Count ?? 0, total = book.Count });
        });
        app.MapPost("/_emulator/history/fault", (string mode) => mode is "error" or "garbage" or "none"
            ? Results.Json(new { mode = fault = mode })
            : Results.Json(new { result = "error", error = "mode must be error, garbage or none" }, statusCode: 400));
    }

    private static IResult Page(string page, HttpRequest request, EvrotelEmulatorOptions options, HistoryBook book)
    {
        if (page != $"stat_{options.BillCode}.php")
        {
            return Results.NotFound();
        }

        if (request.Query["billcode"].ToString() != options.BillCode)
        {
            return Results.Text("Access denied", statusCode: 403);
        }

        if (!DateOnly.TryParseExact(request.Query["start"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return Results.Json(new { result = "error", error = "start must be a date, YYYY-MM-DD" }, statusCode: 400);
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        var since = LocalTimes.FromWallClock(day.ToDateTime(TimeOnly.MinValue), zone);
        var until = LocalTimes.FromWallClock(day.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
        var rows = new JsonArray([.. book.Between(since, until).Select(c => Row(c, options, zone))]);
        return Results.Text(new JsonObject { ["calls"] = rows }.ToJsonString(), "application/json");
    }

    /// <summary>One call as a row of the page; the columns are those of the public integration's sample answer that PbxHub reads, and a few beside.</summary>
    private static JsonObject Row(HistoryCall call, EvrotelEmulatorOptions options, TimeZoneInfo zone)
    {
        var id = Id(call);
        var wall = TimeZoneInfo.ConvertTime(call.StartedAt, zone).DateTime;
        var billsec = call.AnsweredAt is { } answered && call.Outcome == Outcomes.Answered ? (int)(call.EndedAt - answered).TotalSeconds : 0;
        var uniqueId = $"{call.StartedAt.ToUnixTimeSeconds()}.{id % 100_000_000}";
        return new JsonObject
        {
            ["channel"] = $"SIP/{call.From}-{id:x8}",
            ["id"] = id,
            ["duration"] = (int)(call.EndedAt - call.StartedAt).TotalSeconds,
            ["linkedid"] = uniqueId,
            ["calldate"] = wall.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+00:00",
            ["direction"] = call.Direction == Directions.Inbound ? "i" : "o",
            ["billsec"] = billsec,
            ["date"] = wall.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["numberA"] = call.From,
            ["disposition"] = Disposition(call.Outcome),
            ["numberB"] = call.To,
            ["billcode"] = options.BillCode,
            ["recfile"] = call.RecordingUrl is { } url && url.StartsWith('/') ? "/var/www/html" + url : call.RecordingUrl,
            ["uniqueid"] = uniqueId,
            ["src"] = call.From,
            ["dst"] = call.To,
        };
    }

    /// <summary>Asterisk has five dispositions: a missed or cancelled call was not answered, anything else failed.</summary>
    private static string Disposition(string outcome) => outcome switch
    {
        Outcomes.Answered => "ANSWERED",
        Outcomes.Busy => "BUSY",
        Outcomes.Congestion => "CONGESTION",
        Outcomes.NoAnswer or Outcomes.Missed or Outcomes.Cancelled => "NO ANSWER",
        _ => "FAILED",
    };

    /// <summary>A CDR id like Evrotel's (eight digits), the same for the same call on every request.</summary>
    private static long Id(HistoryCall call)
    {
        var key = call.CallId.Length > 0 ? call.CallId : $"{call.StartedAt.ToUnixTimeMilliseconds()}:{call.From}:{call.To}";
        return 10_000_000 + (long)(BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key))) % 90_000_000);
    }
}
