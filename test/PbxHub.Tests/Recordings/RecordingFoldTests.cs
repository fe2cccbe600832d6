using PbxHub.Calls;
using PbxHub.Recordings;

namespace PbxHub.Tests.Recordings;

public sealed class RecordingFoldTests
{
    private static readonly DateTimeOffset At = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Party Caller = new("79031234567", "+79031234567", null);

    private static List<CallSignal> Call() =>
    [
        new CallSeen(At, Directions.Inbound, Caller, null, null, 0),
        new CallEnded(At.AddSeconds(30), Outcomes.Missed, null),
        new RecordingKnown(At.AddSeconds(30), "https://sipuni.com/r/1.wav"),
    ];

    private static CallRecord Fold(IEnumerable<CallSignal> signals) =>
        CallFold.Fold(new CallIdentity("c1", "acme", "sipuni", "k1", At.AddMinutes(5)), signals)!;

    [Fact]
    public void Fold_LinkKnownNothingKept_RecordingPending()
    {
        var call = Fold(Call());

        Assert.Equal(RecordingStates.Pending, call.Recording!.State);
        Assert.DoesNotContain(CallEvents.Of(call), e => e.Type == CallEventTypes.RecordingKept);
    }

    [Fact]
    public void Fold_RecordingKept_RecordCarriesItAndCallRecordingKeptEmittedAtTheKeptTime()
    {
        var keptAt = At.AddMinutes(2);
        var kept = new Recording(RecordingStates.Kept, RecordingHistory.ApiPath("c1"), "audio/wav", 32044, 2, "abc", keptAt, null);

        var call = Fold([.. Call(), new RecordingSettled(keptAt, kept)]);

        Assert.Equal(kept, call.Recording);
        Assert.Equal(At.AddSeconds(30), call.EndedAt);
        var events = CallEvents.Of(call);
        Assert.Equal(keptAt, Assert.Single(events, e => e.Type == CallEventTypes.RecordingKept).OccurredAt);
        Assert.Equal(CallEventTypes.RecordingKept, events[^1].Type);
    }

    [Fact]
    public void Fold_FailedThenKeptOnALaterFetch_KeptWins()
    {
        var failed = new Recording(RecordingStates.Failed, null, null, null, null, null, null, "HTTP 404 Not Found");
        var kept = new Recording(RecordingStates.Kept, "/x", "audio/wav", 1, 1, "abc", At.AddHours(2), null);

        var call = Fold([new RecordingSettled(At.AddHours(2), kept), .. Call(), new RecordingSettled(At.AddHours(1), failed)]);

        Assert.Equal(RecordingStates.Kept, call.Recording!.State);
    }

    [Fact]
    public void History_RowReadBack_SameSignal()
    {
        var account = new PbxHub.Accounts.Account("acme", "sipuni", "s", "Europe/Moscow", "RU", new Dictionary<string, string>(), "configuration");
        var kept = new Recording(RecordingStates.Kept, "/x", "audio/mpeg", 10, 1.5, "abc", At, null);

        var row = RecordingHistory.Row(account, "k1", kept, At);

        Assert.Equal(PbxHub.Ingest.RawKinds.Recording, row.Kind);
        Assert.Equal([new RecordingSettled(At, kept)], RecordingHistory.Read(row.Request));
    }
}
