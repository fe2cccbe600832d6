using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using PbxHub.Delivery;
using PbxHub.Storage;

namespace PbxHub.Tests.Delivery;

/// <summary>
/// The recorder wakes the dispatcher after each commit; the pass it wakes must see that commit over, or it sleeps on
/// with the attempts in hand (on a fake clock for good: a test's "dispatcher idle" never came).
/// </summary>
public sealed class AttemptRecorderTests
{
    [Fact]
    public async Task Flush_CommitWakesTheDispatcher_IdleAndRecordedWhenWoken()
    {
        var store = new Store();
        var recorder = New(store);
        recorder.Add(Result(7));
        var woken = new TaskCompletionSource<(bool Idle, List<KeyValuePair<long, int>> Recorded)>(TaskCreationOptions.RunContinuationsAsynchronously);

        recorder.Flush(() => woken.TrySetResult((recorder.IsIdle, recorder.TakeRecorded())));

        var (idle, recorded) = await woken.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(idle, "the pass the commit woke saw it still under way");
        Assert.Equal([new KeyValuePair<long, int>(7, 1)], recorded);
    }

    [Fact]
    public async Task Flush_AttemptFinishedDuringACommit_WrittenByTheNextCommitWithoutWaitingForAPoll()
    {
        var store = new Store();
        var recorder = New(store);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Hold = gate.Task;
        recorder.Add(Result(1));
        // As the dispatcher does: every wake-up is a pass, and every pass flushes what finished.
        void Pass() => recorder.Flush(Pass);

        Pass();
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        recorder.Add(Result(2));
        Pass();
        store.Hold = Task.CompletedTask;
        gate.SetResult();

        await store.SecondBatch.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([[1L], [2L]], store.Batches.Select(b => b.ToArray()));
    }

    private static AttemptRecorder New(Store store) => new(
        store, TimeProvider.System, new StorageFaults(TimeProvider.System, NullLogger<StorageFaults>.Instance), NullLogger.Instance);

    private static AttemptResult Result(long id) => new(
        new DueDelivery(id, "sub", id, $"evt_{id}", "call", 0, 0, 0),
        new DeliveryAttempt(1, DateTimeOffset.UnixEpoch, 204, 1, null, null), DeliveryStates.Delivered, 0, null, null);

    /// <summary>Records in memory; <see cref="Hold"/> keeps a commit under way.</summary>
    private sealed class Store : IDeliveryStore
    {
        public Task Hold { get; set; } = Task.CompletedTask;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource SecondBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<List<long>> Batches { get; } = new();

        public async Task RecordAsync(IReadOnlyList<AttemptResult> results, DateTimeOffset now, CancellationToken ct)
        {
            Entered.TrySetResult();
            await Hold;
            Batches.Enqueue(results.Select(r => r.Delivery.Id).ToList());
            if (Batches.Count == 2)
            {
                SecondBatch.TrySetResult();
            }
        }

        public Task<IReadOnlyList<DueDelivery>> DueAsync(
            DateTimeOffset now, int limit, int perSubscription, TimeSpan claimFor, IReadOnlyCollection<long> held, CancellationToken ct) =>
            throw new NotSupportedException();

        public Task ReleaseAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<StoredEvent>> EventsAsync(IReadOnlyCollection<long> seqs, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<StoredEvent>> EventsAfterAsync(
            long afterSeq, IReadOnlyCollection<string> accounts, IReadOnlyCollection<string> types, int limit, CancellationToken ct) =>
            throw new NotSupportedException();

        public Task<long> LastEventSeqAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task<long?> EventSeqAsync(string eventId, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<DeliveryView>> ListAsync(string subscriptionId, long? beforeId, int limit, CancellationToken ct) =>
            throw new NotSupportedException();

        public Task<bool> ResendAsync(string subscriptionId, long deliveryId, DateTimeOffset now, CancellationToken ct) => throw new NotSupportedException();

        public Task<int> RecoverAsync(Subscription subscription, DateTimeOffset since, DateTimeOffset now, CancellationToken ct) =>
            throw new NotSupportedException();
    }
}
