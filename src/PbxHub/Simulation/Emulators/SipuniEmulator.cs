using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PbxHub.Calls;
using PbxHub.Providers.Sipuni;

namespace PbxHub.Simulation.Emulators;

internal sealed class SipuniEmulatorOptions
{
    public string User { get; set; } = "012345";

    public string Secret { get; set; } = "0.1234567890";

    /// <summary>The cabinet's zone: the export's dates and times are its wall clock.</summary>
    public string TimeZone { get; set; } = "Europe/Moscow";
}

/// <summary>
/// A stand-in of Sipuni's <c>POST /api/statistic/export</c> (docs/providers/sipuni.md, "Call history"): it checks <c>user</c>
/// and the <c>hash</c> (MD5 of the values of every parameter but the hash, in the order of their names, then the secret)
/// and answers the CSV of its <see cref="HistoryBook"/> for the dates asked. <c>POST /_emulator/history</c> adds calls
/// (a JSON array of <see cref="HistoryCall"/>); <c>POST /_emulator/fault?mode=error|html|json|garbage|empty|slow|none</c> makes
/// the export misbehave (HTTP 500, an HTML page, a JSON error, text that is no CSV, nothing, an answer after <c>seconds</c>, default 30).
/// </summary>
internal static class SipuniEmulator
{
    /// <summary>The export's header as integrations record it with the outgoing line and scheme id shown.</summary>
    public const string Header = "Тип;Статус;Время;ID схемы звонка;Схема;Исходящая линия;Откуда;Куда;Кто ответил;Длительность звонка;Длительность разговора;"
        + "Время ответа;Оценка;ID записи;Метка;Теги;Инициатор завершения звонка;ID заказа звонка;Запись существует;Новый клиент;Состояние перезвона;"
        + "Время перезвона;Информация из CRM;Ответственный из CRM";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task<EmulatorHost> StartAsync(string url, SipuniEmulatorOptions options, HistoryBook book, bool quiet = true) =>
        EmulatorHost.StartAsync(url, app => Map(app, options, book), quiet);

    public static void Map(WebApplication app, SipuniEmulatorOptions options, HistoryBook book)
    {
        var fault = new Fault();
        app.MapPost("/api/statistic/export", (HttpRequest r) => ExportAsync(r, options, book, fault));
        app.MapPost("/_emulator/history", async (HttpRequest r) =>
        {
            var calls = await JsonSerializer.DeserializeAsync<List<HistoryCall>>(r.Body, Json);
            book.Add(calls ?? []);
            return Results.Json(new { added = calls?.Count ?? 0, total = book.Count });
        });
        app.MapPost("/_emulator/fault", (string? mode, int? seconds) =>
        {
            fault.Mode = mode is "error" or "html" or "json" or "garbage" or "empty" or "slow" ? mode : null;
            fault.Delay = TimeSpan.FromSeconds(seconds ?? 30);
            return Results.Json(new { mode = fault.Mode ?? "none" });
        });
    }

    private static async Task<IResult> ExportAsync(HttpRequest request, SipuniEmulatorOptions options, HistoryBook book, Fault fault)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            fields[key] = value.ToString();
        }

        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync())
            {
                fields[key] = value.ToString();
            }
        }

        if (fields.GetValueOrDefault("user") != options.User || fields.GetValueOrDefault("hash") != HashOf(fields, options.Secret))
        {
            return Results.Json(new { success = false, message = "Неверный hash или user" }, statusCode: 401);
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        if (Date(fields, "from") is not { } from || Date(fields, "to") is not { } to || to < from)
        {
            return Results.Json(new { success = false, message = "from and to must be dates dd.mm.yyyy, from not after to" }, statusCode: 400);
        }

        switch (fault.Mode)
        {
            case "error":
                return Results.Content("<html><head><title>500 Internal Server Error</title></head><body>nginx</body></html>", "text/html", statusCode: 500);
            case "html":
                return Results.Content("<!DOCTYPE html><html><head><title>Sipuni: вход</title></head><body>Войдите</body></html>", "text/html");
            case "json":
                return Results.Json(new { success = false, message = "Слишком много запросов" });
            case "empty":
                return Results.Text("", "text/csv");
            case "garbage":
                return Results.Text("Statistics are being prepared, try later\n", "text/plain");
            case "slow":
                await Task.Delay(fault.Delay, request.HttpContext.RequestAborted);
                break;
        }

        var since = LocalMidnight(from, zone);
        var calls = book.Between(since, LocalMidnight(to.AddDays(1), zone));
        var csv = new StringBuilder("\uFEFF").Append(Header).Append("\r\n");
        foreach (var call in calls)
        {
            csv.Append(Line(call, zone)).Append("\r\n");
        }

        return Results.Bytes(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8");
    }

    /// <summary>The stand-in's own reading of the rule, independent of the reader's: every field but the hash, by name, then the secret.</summary>
    private static string HashOf(Dictionary<string, string> fields, string secret)
    {
        var names = fields.Keys.Where(k => k != "hash").Order(StringComparer.Ordinal);
        var joined = string.Concat(names.Select(n => fields[n] + "+")) + secret;
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(joined)));
    }

    private static string Line(HistoryCall call, TimeZoneInfo zone)
    {
        var answered = call.Outcome == Outcomes.Answered && call.AnsweredAt is not null;
        var local = TimeZoneInfo.ConvertTime(call.StartedAt, zone);
        var total = (int)(call.EndedAt - call.StartedAt).TotalSeconds;
        var recordId = call.CallId.Length > 0 ? call.CallId
            : $"{call.StartedAt.ToUnixTimeSeconds()}.{BitConverter.ToUInt16(SHA256.HashData(Encoding.UTF8.GetBytes(call.From + ">" + call.To)))}";
        string?[] fields =
        [
            SipuniHistoryStatuses.TypeOf(call.Direction), SipuniHistoryStatuses.TextOf(answered ? Outcomes.Answered : call.Outcome),
            local.ToString("dd.MM.yyyy HH:mm:ss", CultureInfo.InvariantCulture),
            call.Direction == Directions.Outbound ? "000-913901" : "000-913898", call.Direction == Directions.Outbound ? "Исходящая" : "Входящая",
            call.Direction == Directions.Outbound ? call.Line : "", call.From,
            call.Direction == Directions.Inbound ? call.Line ?? call.To : call.To, answered ? call.AnsweredBy : "",
            Seconds(total), answered ? Seconds((int)(call.EndedAt - call.AnsweredAt!.Value).TotalSeconds) : "",
            answered ? Seconds((int)(call.AnsweredAt!.Value - call.StartedAt).TotalSeconds) : "",
            "", recordId, "", "", "", "", call.RecordingUrl is null ? "0" : "1", "0", "", "", "", "",
        ];
        return string.Join(';', fields.Select(SipuniHistoryCsv.Field));
    }

    private static string Seconds(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static DateOnly? Date(Dictionary<string, string> fields, string name) =>
        DateOnly.TryParseExact(fields.GetValueOrDefault(name), "dd.MM.yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static DateTimeOffset LocalMidnight(DateOnly day, TimeZoneInfo zone) =>
        PbxHub.Providers.LocalTimes.FromWallClock(day.ToDateTime(TimeOnly.MinValue), zone);

    private sealed class Fault
    {
        public string? Mode { get; set; }

        public TimeSpan Delay { get; set; }
    }
}
