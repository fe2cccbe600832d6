using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Retention;

internal sealed record PruneSummary(int CompactedCalls, int DeletedRawEvents, int DeletedDeliveries);

/// <summary>
/// Prunes what <see cref="RetentionOptions"/> says is old, a batch per transaction. A call's raw requests
/// go only once all of them are older than the cut-off, and leave behind one row with the signals they
/// carried: the record, replay and a late event of the call fold exactly as before. Calls of accounts no
/// longer configured are left alone (their requests cannot be read without the account).
/// </summary>
internal sealed class RetentionPruner(
    SqlRetentionStore store, AccountDirectory accounts, CallRecords builder, IOptions<RetentionOptions> options, TimeProvider time)
{
    private const int ScanPage = 1000;

    public async Task<PruneSummary> PruneAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var (calls, raw) = o.RawEventDays is { } rawDays ? await PruneRawAsync(now.AddDays(-rawDays), o.BatchSize, ct) : (0, 0);
        var deliveries = 0;
        if (o.DeliveryDays is { } deliveryDays)
        {
            int deleted;
            do
            {
                deleted = await store.DeleteFinishedDeliveriesAsync(now.AddDays(-deliveryDays), o.BatchSize, ct);
                deliveries += deleted;
            }
            while (deleted == o.BatchSize);
        }

        return new PruneSummary(calls, raw, deliveries);
    }

    private async Task<(int Calls, int Rows)> PruneRawAsync(DateTimeOffset before, int batchSize, CancellationToken ct)
    {
        var known = (await accounts.ListAsync(ct)).ToDictionary(a => a.Id);
        var seen = new HashSet<(string, string)>();
        int calls = 0, rows = 0;
        var after = (0L, 0L);
        while (true)
        {
            var page = await store.AgedRawAsync(before, after, ScanPage, ct);
            if (page.Count == 0)
            {
                return (calls, rows);
            }

            after = (page[^1].ReceivedAt, page[^1].Seq);
            var orphans = page.Where(r => r.CallKey is null).Select(r => r.Seq).ToList();
            if (orphans.Count > 0)
            {
                rows += await store.DeleteRawAsync(orphans, before, ct);
            }

            // A call is looked at once per run, even when its old rows span pages.
            var due = page.Where(r => r.CallKey is not null && known.ContainsKey(r.Account) && seen.Add((r.Account, r.CallKey!)))
                .Select(r => (r.Account, r.CallKey!)).ToList();
            foreach (var batch in due.Chunk(batchSize))
            {
                var done = await store.CompactAsync(batch, before, r => Compact(known[r[0].Account], r, before), ct);
                calls += done.Calls;
                rows += done.DeletedRows;
            }

            if (page.Count < ScanPage)
            {
                return (calls, rows);
            }
        }
    }

    private Compacted Compact(Account account, IReadOnlyList<RawRow> rows, DateTimeOffset before) => new(
        CompactedSignals.Write(rows.SelectMany(r => builder.SignalsOf(account, r))),
        $"{rows.Count} raw events received before {CallJson.Utc(before)} pruned; the signals they carried are kept");
}
