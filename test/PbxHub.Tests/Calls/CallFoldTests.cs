using CsCheck;
using PbxHub.Calls;
using PbxHub.Tests.Infrastructure;

namespace PbxHub.Tests.Calls;

public sealed class CallFoldTests
{
    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Fold_SpecTransferExample_GivesTheDocumentedCall()
    {
        var call = Sipuni.FoldQueries(Sipuni.TransferExample());

        Assert.Equal("inbound", call.Direction);
        Assert.Equal("ended", call.State);
        Assert.Equal("answered", call.Outcome);
        Assert.Equal(At("2013-09-04T12:00:00Z"), call.StartedAt);
        Assert.Equal(At("2013-09-04T12:00:10Z"), call.AnsweredAt);
        Assert.Equal(At("2013-09-04T12:00:50Z"), call.EndedAt);
        Assert.Equal(10, call.WaitSeconds);
        Assert.Equal(40, call.TalkSeconds);
        Assert.Equal("101", call.AnsweredBy?.Extension);
        Assert.Equal("102", call.EndedWith?.Extension);
        Assert.Equal(["101", "102"], call.Legs.Select(l => l.Party.Extension));
        var transfer = Assert.Single(call.Transfers);
        Assert.Equal(("101", "102"), (transfer.From.Extension, transfer.To.Extension));
        Assert.Equal("ftp://myhost.info/account/frecords/354435435436.wav", call.RecordingUrl);
        Assert.Equal("ANSWER", call.ProviderResult);
        Assert.Equal(new Party("8955555555", "+78955555555", null), call.From);
        Assert.Equal("+78499999999", call.Line?.Number);
        Assert.False(call.Incomplete);
    }

    [Fact]
    public void Fold_ExampleInAnyOrderSentTwice_GivesTheSameRecordAndEventIds()
    {
        var queries = Sipuni.TransferExample();
        var expected = CallJson.Serialize(Sipuni.FoldQueries(queries));
        var expectedIds = CallEvents.Of(Sipuni.FoldQueries(queries)).Select(e => e.Id).ToList();
        var doubled = queries.Concat(queries).ToArray();

        Gen.Shuffle(doubled).Sample(order =>
        {
            var call = Sipuni.FoldQueries(order);
            return CallJson.Serialize(call) == expected && CallEvents.Of(call).Select(e => e.Id).SequenceEqual(expectedIds);
        }, iter: 300);
    }

    [Fact]
    public void Fold_OnlyTheFirstEvents_CallIsActiveWithNoEnd()
    {
        var call = Sipuni.FoldQueries(Sipuni.TransferExample().Take(3));

        Assert.Equal("active", call.State);
        Assert.Null(call.Outcome);
        Assert.Null(call.EndedAt);
        Assert.Equal(10, call.WaitSeconds);
        Assert.Null(call.EndedWith);
    }

    [Fact]
    public void Fold_InboundNobodyAnswers_IsMissed()
    {
        var call = Sipuni.FoldQueries([
            "event=1&call_id=m1&src_num=79031234567&src_type=1&dst_num=74950665310&dst_type=1&timestamp=1700000000",
            "event=1&is_inner_call=1&call_id=m1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000001",
            "event=1&is_inner_call=1&call_id=m1&src_num=79031234567&src_type=1&dst_num=012345102&dst_type=2&timestamp=1700000001",
            "event=2&call_id=m1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000021&status=NOANSWER&call_start_timestamp=1700000000&call_answer_timestamp=0",
            "event=2&call_id=m1&src_num=79031234567&src_type=1&dst_num=012345102&dst_type=2&timestamp=1700000021&status=NOANSWER&call_start_timestamp=1700000000&call_answer_timestamp=0",
        ]);

        Assert.Equal(("ended", "missed"), (call.State, call.Outcome));
        Assert.Equal(21, call.WaitSeconds);
        Assert.Equal(0, call.TalkSeconds);
        Assert.Null(call.AnsweredBy);
        Assert.All(call.Legs, l => Assert.Equal("no_answer", l.Outcome));
        Assert.Equal("NOANSWER", call.ProviderResult);
    }

    [Fact]
    public void Fold_OutboundBusy_OutcomeIsBusy()
    {
        var call = Sipuni.FoldQueries([
            "event=1&call_id=o1&src_num=012345101&src_type=2&dst_num=89031234567&dst_type=1&timestamp=1700000000",
            "event=2&call_id=o1&src_num=012345101&src_type=2&dst_num=89031234567&dst_type=1&timestamp=1700000004&status=BUSY&call_start_timestamp=1700000000&call_answer_timestamp=0",
        ]);

        Assert.Equal(("outbound", "busy", "BUSY"), (call.Direction, call.Outcome, call.ProviderResult));
        Assert.Equal("101", call.From?.Extension);
        Assert.Equal("+79031234567", call.To?.Number);
    }

    [Fact]
    public void Fold_InnerCall_IsInternal()
    {
        var call = Sipuni.FoldQueries([
            "event=1&is_inner_call=1&call_id=i1&src_num=012345101&src_type=2&dst_num=012345102&dst_type=2&timestamp=1700000000",
            "event=3&call_id=i1&src_num=012345101&src_type=2&dst_num=012345102&dst_type=2&timestamp=1700000003",
            "event=2&call_id=i1&src_num=012345101&src_type=2&dst_num=012345102&dst_type=2&timestamp=1700000033&status=ANSWER&call_start_timestamp=1700000000&call_answer_timestamp=1700000003",
        ]);

        Assert.Equal(("internal", "answered"), (call.Direction, call.Outcome));
        Assert.Equal((3, 30), (call.WaitSeconds, call.TalkSeconds));
    }

    [Fact]
    public void Fold_Event1RepeatedASecondLater_IsOneLeg()
    {
        var call = Sipuni.FoldQueries([
            "event=1&is_inner_call=1&call_id=r1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000000",
            "event=1&is_inner_call=1&call_id=r1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000001",
        ]);

        Assert.Single(call.Legs);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), call.Legs[0].StartedAt);
    }

    [Fact]
    public void Fold_CallbackAnswerBeforeStartWithoutEvent3_AnswerNotBeforeStart()
    {
        var call = Sipuni.FoldQueries([
            "event=1&call_id=cb&src_num=012345101&src_type=2&dst_num=79031234567&dst_type=1&timestamp=1700000010",
            "event=2&call_id=cb&src_num=012345101&src_type=2&dst_num=79031234567&dst_type=1&timestamp=1700000070&status=ANSWER&call_start_timestamp=1700000010&call_answer_timestamp=1700000005",
        ]);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000010), call.AnsweredAt);
        Assert.Equal((0, 60), (call.WaitSeconds, call.TalkSeconds));
    }

    [Fact]
    public void Fold_TimestampsInMilliseconds_ReadAsSeconds()
    {
        var call = Sipuni.FoldQueries([
            "event=1&call_id=ms&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&is_inner_call=1&timestamp=1700000000000",
        ]);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), call.StartedAt);
    }

    [Fact]
    public void Fold_Timeout_ClosesIncompleteAndLateEndCorrects()
    {
        var start = "event=1&is_inner_call=1&call_id=t1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000000";
        var end = "event=2&call_id=t1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000030&status=CANCEL&call_start_timestamp=1700000000&call_answer_timestamp=0";
        var timeout = new PbxHub.Storage.RawRow(9, "demo", "sipuni", PbxHub.Ingest.RawKinds.Timeout, "t1", "timeout",
            new PbxHub.Ingest.RawRequest("TIMEOUT", null, "", [], new Dictionary<string, string>(), DateTimeOffset.FromUnixTimeSeconds(1700020000)), null);
        var startRow = new PbxHub.Storage.RawRow(1, "demo", "sipuni", PbxHub.Ingest.RawKinds.Hook, "t1", "a", Sipuni.Get(start), null);
        var endRow = new PbxHub.Storage.RawRow(2, "demo", "sipuni", PbxHub.Ingest.RawKinds.Hook, "t1", "b", Sipuni.Get(end), null);

        var closed = Sipuni.Builder.Fold(Sipuni.Account, "t1", [startRow, timeout])!;
        var corrected = Sipuni.Builder.Fold(Sipuni.Account, "t1", [startRow, timeout, endRow])!;

        Assert.Equal(("ended", "unknown", true), (closed.State, closed.Outcome, closed.Incomplete));
        Assert.Equal(("ended", "missed", false), (corrected.State, corrected.Outcome, corrected.Incomplete));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000030), corrected.EndedAt);
        Assert.Contains(CallEvents.Of(corrected), e => e.Type == "call.missed");
    }

    [Fact]
    public void Fold_TimeoutAfterAnswer_AnsweredAndIncomplete()
    {
        var open = Sipuni.TransferExample().Take(3).Select(q => Sipuni.Get(q)).Select((r, i) =>
            new PbxHub.Storage.RawRow(i + 1, "demo", "sipuni", PbxHub.Ingest.RawKinds.Hook, "1419783130.15593", "h" + i, r, null));
        var timeout = new PbxHub.Storage.RawRow(9, "demo", "sipuni", PbxHub.Ingest.RawKinds.Timeout, "1419783130.15593", "timeout",
            new PbxHub.Ingest.RawRequest("TIMEOUT", null, "", [], new Dictionary<string, string>(), At("2013-09-04T16:00:00Z")), null);

        var closed = Sipuni.Builder.Fold(Sipuni.Account, "1419783130.15593", [.. open, timeout])!;

        Assert.Equal(("ended", "answered", true), (closed.State, closed.Outcome, closed.Incomplete));
        Assert.Equal((At("2013-09-04T12:00:10Z"), "101"), (closed.AnsweredAt, closed.AnsweredBy?.Extension));
        Assert.Equal("answered", Assert.Single(closed.Legs).Outcome);
    }

    [Fact]
    public void Fold_RoistatFields_GoToTracking()
    {
        var call = Sipuni.FoldQueries([
            "event=1&call_id=ro&src_num=79031234567&src_type=1&dst_num=74950665310&dst_type=1&timestamp=1700000000&roistat=12345&roistat_number=74950665311&roistat_marker=google_cpc_x",
            "event=2&call_id=ro&src_num=79031234567&src_type=1&dst_num=74950665310&dst_type=1&timestamp=1700000010&status=CANCEL&call_start_timestamp=1700000000&call_answer_timestamp=0&roistatgoogleid=GA1.2.3",
        ]);

        Assert.Equal(new Tracking("12345", "74950665311", "google_cpc_x", "GA1.2.3"), call.Tracking);
        Assert.Equal(("ended", "missed"), (call.State, call.Outcome));
    }

    [Fact]
    public void Fold_HangUpOfLegAlreadyHandedOver_NoPhantomLegOrTransfer()
    {
        var extra = "event=2&call_id=1419783130.15593&src_num=8955555555&src_type=1&dst_num=012345101&dst_type=2&call_start_timestamp=1378296000&call_answer_timestamp=1378296010&timestamp=1378296040&status=ANSWER";
        var call = Sipuni.FoldQueries(Sipuni.TransferExample().Append(extra));

        Assert.Equal(["101", "102"], call.Legs.Select(l => l.Party.Extension));
        var transfer = Assert.Single(call.Transfers);
        Assert.Equal(("101", "102"), (transfer.From.Extension, transfer.To.Extension));
        Assert.Equal(("ended", "102"), (call.State, call.EndedWith?.Extension));
    }

    [Fact]
    public void Fold_SameExtensionRungAgainInTheSecondOfItsHangUp_EachLegKeepsItsOwnEnd()
    {
        var call = Sipuni.FoldQueries([
            "event=1&is_inner_call=1&call_id=hg&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000000",
            "event=2&call_id=hg&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000015&status=NOANSWER&call_start_timestamp=1700000000&call_answer_timestamp=0",
            "event=1&is_inner_call=1&call_id=hg&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000015",
            "event=3&call_id=hg&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000020",
            "event=2&call_id=hg&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000060&status=ANSWER&call_start_timestamp=1700000000&call_answer_timestamp=1700000020",
        ]);

        Assert.Equal(2, call.Legs.Count);
        Assert.Equal((1700000000L, (long?)null, 1700000015L, "no_answer"),
            (call.Legs[0].StartedAt.ToUnixTimeSeconds(), call.Legs[0].AnsweredAt?.ToUnixTimeSeconds(), call.Legs[0].EndedAt!.Value.ToUnixTimeSeconds(), call.Legs[0].Outcome));
        Assert.Equal((1700000015L, (long?)1700000020, 1700000060L, "answered"),
            (call.Legs[1].StartedAt.ToUnixTimeSeconds(), call.Legs[1].AnsweredAt?.ToUnixTimeSeconds(), call.Legs[1].EndedAt!.Value.ToUnixTimeSeconds(), call.Legs[1].Outcome));
        Assert.Empty(call.Transfers);
        Assert.Equal((20, 40), (call.WaitSeconds, call.TalkSeconds));
    }

    [Fact]
    public void Fold_HangUpWhoseRingWasLost_LegFromTheHangUpWithoutTransfer()
    {
        var call = Sipuni.FoldQueries([
            "event=1&is_inner_call=1&call_id=lost1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000000",
            "event=3&call_id=lost1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000005",
            "event=2&call_id=lost1&src_num=79031234567&src_type=1&dst_num=012345102&dst_type=2&timestamp=1700000030&status=NOANSWER&call_start_timestamp=1700000000&call_answer_timestamp=0",
        ]);

        Assert.Equal(["101", "102"], call.Legs.Select(l => l.Party.Extension));
        Assert.Empty(call.Transfers);
    }
}
