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

    /// <summary>Reads a row selected with <see cref="Select"/>, without the mapping machinery (the fold reads many).</summary>
    public static RawRow Read(Microsoft.Data.Sqlite.SqliteDataReader r)
    {
        var headers = r.GetString(11);
        return new RawRow(
            r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5),
            new RawRequest(
                r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetString(9), (byte[])r.GetValue(10),
                headers == "{}" ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(headers) ?? [],
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6))),
            r.IsDBNull(12) ? null : r.GetString(12));
    }
}
