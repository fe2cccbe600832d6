using System.Text.Json.Nodes;

namespace PbxHub.Connectors.RetailCrm;

/// <summary>What <c>calls/upload</c> said of one call: taken, already there (<c>duplicateCalls</c>), or the failure.</summary>
internal sealed record RetailCrmUpload(RetailCrmAnswer Answer, bool Duplicate, int BatchSize)
{
    public bool Ok => Answer.Ok;
}

/// <summary>
/// Gathers the ended calls of one connector that are due together into one <c>POST /api/v5/telephony/calls/upload</c>
/// (docs/connectors/retailcrm.md#batching): the first call opens a batch, which is sent after
/// <see cref="RetailCrmOptions.UploadWindow"/> or at once when it holds 50 calls (the method takes at most 50). Each
/// delivery awaits its own call's part of the answer, so the outbox keeps one outcome per call. A batch refused as
/// invalid (400) is sent again one call at a time, so only the call at fault fails.
/// </summary>
internal sealed class RetailCrmUploads(RetailCrmClient client, TimeProvider time)
{
    /// <summary>The most calls one <c>calls/upload</c> takes (RetailCRM's API v5).</summary>
    public const int MaxCalls = 50;

    private readonly Dictionary<string, Batch> open = new(StringComparer.Ordinal);

    public Task<RetailCrmUpload> UploadAsync(ConnectorOptions c, JsonObject call, CancellationToken ct)
    {
        var item = new Item(call, new TaskCompletionSource<RetailCrmUpload>(TaskCreationOptions.RunContinuationsAsynchronously));
        Batch? full = null;
        Batch? opened = null;
        lock (open)
        {
            if (!open.TryGetValue(c.Id, out var batch))
            {
                opened = batch = new Batch(c);
                open[c.Id] = batch;
            }

            batch.Items.Add(item);
            if (batch.Items.Count >= MaxCalls)
            {
                open.Remove(c.Id);
                full = batch;
            }
        }

        if (full is not null)
        {
            _ = SendAsync(full);
        }
        else if (opened is not null)
        {
            _ = SendLaterAsync(opened);
        }

        return item.Answer.Task.WaitAsync(ct);
    }

    private async Task SendLaterAsync(Batch batch)
    {
        await Task.Delay(batch.Connector.RetailCrm.UploadWindow, time);
        lock (open)
        {
            if (!open.TryGetValue(batch.Connector.Id, out var current) || current != batch)
            {
                return; // sent when it filled up
            }

            open.Remove(batch.Connector.Id);
        }

        await SendAsync(batch);
    }

    private async Task SendAsync(Batch batch)
    {
        try
        {
            var answer = await PostAsync(batch.Connector, batch.Items);
            if (answer.Status == 400 && batch.Items.Count > 1)
            {
                // Which call RetailCRM refused is not said in a way PbxHub can rely on: each is asked alone.
                await Task.WhenAll(batch.Items.Select(async i => Complete([i], await PostAsync(batch.Connector, [i]), 1)));
                return;
            }

            Complete(batch.Items, answer, batch.Items.Count);
        }
        catch (Exception ex)
        {
            foreach (var i in batch.Items)
            {
                i.Answer.TrySetException(ex);
            }
        }
    }

    private Task<RetailCrmAnswer> PostAsync(ConnectorOptions c, IReadOnlyList<Item> items) =>
        // Shared by several deliveries: no one delivery's cancellation stops it (the client's timeout bounds it).
        client.PostAsync(c, "telephony/calls/upload",
            new Dictionary<string, string> { ["calls"] = new JsonArray([.. items.Select(i => i.Call.DeepClone())]).ToJsonString(Calls.CallJson.Options) }, CancellationToken.None);

    private static void Complete(IReadOnlyList<Item> items, RetailCrmAnswer answer, int size)
    {
        var duplicates = (answer.Json?["duplicateCalls"] as JsonArray ?? []).Select(d => d?.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var i in items)
        {
            i.Answer.TrySetResult(new RetailCrmUpload(answer, duplicates.Contains(i.Call["externalId"]?.ToString()), size));
        }
    }

    private sealed record Item(JsonObject Call, TaskCompletionSource<RetailCrmUpload> Answer);

    private sealed class Batch(ConnectorOptions connector)
    {
        public ConnectorOptions Connector { get; } = connector;

        public List<Item> Items { get; } = [];
    }
}
