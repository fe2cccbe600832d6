using System.Text.Json;
using PbxHub.Ingest;

namespace PbxHub.Storage.Sqlite;

/// <summary>The column shape of raw_events, for Dapper.</summary>
internal sealed record RawRowData(
    long seq, string account, string provider, string kind, string? call_key, string dedupe_key, long received_at,
    string method, string? content_type, string query, byte[] body, string headers, string? reason)
{
    public const string Select =
        "SELECT seq, account, provider, kind, call_key, dedupe_key, received_at, method, content_type, query, body, headers, reason FROM raw_events";

    public RawRow ToRow() => new(
        seq, account, provider, kind, call_key, dedupe_key,
        new RawRequest(method, content_type, query, body,
            JsonSerializer.Deserialize<Dictionary<string, string>>(headers) ?? [],
            DateTimeOffset.FromUnixTimeMilliseconds(received_at)),
        reason);

    public static object Parameters(RawRow row) => new
    {
        row.Account,
        row.Provider,
        row.Kind,
        row.CallKey,
        row.DedupeKey,
        ReceivedAt = row.Request.ReceivedAt.ToUnixTimeMilliseconds(),
        row.Request.Method,
        row.Request.ContentType,
        row.Request.Query,
        row.Request.Body,
        Headers = JsonSerializer.Serialize(row.Request.Headers),
        row.Reason,
    };
}
