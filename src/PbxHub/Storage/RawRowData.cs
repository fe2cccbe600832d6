using System.Data.Common;
using System.Text.Json;
using PbxHub.Ingest;

namespace PbxHub.Storage;

/// <summary>The one mapping between raw_events rows and <see cref="RawRow"/>, for every query that reads them.</summary>
internal static class RawRowData
{
    public const string Select =
        "SELECT seq, account, provider, kind, call_key, dedupe_key, received_at, method, content_type, query, body, headers, reason FROM raw_events";

    /// <summary>Reads a row selected with <see cref="Select"/>.</summary>
    public static RawRow Read(DbDataReader r)
    {
        var headers = r.GetString(11);
        return new RawRow(
            r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5),
            new RawRequest(
                r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetString(9), r.GetFieldValue<byte[]>(10),
                headers == "{}" ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(headers) ?? [],
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6))),
            r.IsDBNull(12) ? null : r.GetString(12));
    }

    public static async Task<List<RawRow>> ReadAllAsync(DbDataReader reader, CancellationToken ct)
    {
        var rows = new List<RawRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }
}
