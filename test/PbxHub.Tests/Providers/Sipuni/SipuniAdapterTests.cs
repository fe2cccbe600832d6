using System.Text.Json;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Tests.Infrastructure;

namespace PbxHub.Tests.Providers.Sipuni;

public sealed class SipuniAdapterTests
{
    private const string Answer = "event=3&call_id=c1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000010";

    private static HookParse Parse(RawRequest request) => Infrastructure.Sipuni.Adapter.Parse(Infrastructure.Sipuni.Account, request);

    [Theory]
    [InlineData("event=3&src_num=1&src_type=1&dst_num=2&dst_type=2&timestamp=1700000000", "call_id is missing")]
    [InlineData("event=9&call_id=c1&timestamp=1700000000", "unknown event '9' (expected 1, 2, 3 or 4)")]
    [InlineData("call_id=c1&timestamp=1700000000", "event is missing")]
    [InlineData("event=1&call_id=c1&timestamp=yesterday", "timestamp 'yesterday' is not a Unix time")]
    [InlineData("event=1&call_id=c1", "timestamp is missing")]
    [InlineData("event=1&call_id=c1&timestamp=300000000000000", "timestamp '300000000000000' is not a Unix time")]
    [InlineData("event=2&call_id=c1&timestamp=1700000000&call_start_timestamp=x", "call_start_timestamp 'x' is not a Unix time")]
    [InlineData("", "empty request: no Sipuni parameters in the query string or the body")]
    public void Parse_BadRequest_FailsWithReason(string query, string reason) =>
        Assert.Equal(new HookParse.Failed(reason), Parse(Infrastructure.Sipuni.Get(query)));

    [Fact]
    public void Parse_GetAndPostWithSameParametersInAnotherOrder_SameEvent()
    {
        var get = (HookParse.Parsed)Parse(Infrastructure.Sipuni.Get(Answer));
        var reordered = string.Join('&', Answer.Split('&').Reverse());
        var post = (HookParse.Parsed)Parse(Infrastructure.Sipuni.PostForm(reordered));

        Assert.Equal(get.DedupeKey, post.DedupeKey);
        Assert.Equal(get.Signals, post.Signals);
        Assert.Equal("c1", post.CallKey);
    }

    [Fact]
    public void Parse_DifferentTimestamp_DifferentDedupeKey()
    {
        var first = (HookParse.Parsed)Parse(Infrastructure.Sipuni.Get(Answer));
        var second = (HookParse.Parsed)Parse(Infrastructure.Sipuni.Get(Answer.Replace("1700000010", "1700000011", StringComparison.Ordinal)));

        Assert.NotEqual(first.DedupeKey, second.DedupeKey);
    }

    [Fact]
    public void Parse_ShortNumbersAndSuffix_PartiesAsUserSeesThem()
    {
        var parsed = (HookParse.Parsed)Parse(Infrastructure.Sipuni.Get(
            "event=1&call_id=c1&src_num=%2B79031234567&short_src_num=%2B79031234567&src_type=1&dst_num=987654205&short_dst_num=205&dst_type=2&is_inner_call=1&timestamp=1700000000"));
        var ring = Assert.Single(parsed.Signals.OfType<LegRinging>());
        var seen = Assert.Single(parsed.Signals.OfType<CallSeen>());

        Assert.Equal(new Party("987654205", null, "205"), ring.Party);
        Assert.Equal(new Party("+79031234567", "+79031234567", null), seen.From);

        var suffixed = (HookParse.Parsed)Parse(Infrastructure.Sipuni.Get(
            "event=1&call_id=c2&src_num=012345101&src_type=2&dst_num=89031234567_id265648&dst_type=1&timestamp=1700000000"));
        Assert.Equal(new Party("89031234567_id265648", "+79031234567", null), Assert.Single(suffixed.Signals.OfType<LegRinging>()).Party);
    }

    [Theory]
    [InlineData("dst_num=012345101_id265648")]
    [InlineData("dst_num=012345101_id265648&short_dst_num=101_id265648")]
    public void Parse_LoginWithIdSuffix_ExtensionWithoutTheSuffix(string dst)
    {
        var parsed = (HookParse.Parsed)Parse(Infrastructure.Sipuni.Get(
            "event=1&is_inner_call=1&call_id=c3&src_num=79031234567&src_type=1&dst_type=2&timestamp=1700000000&" + dst));

        Assert.Equal(new Party("012345101_id265648", null, "101"), Assert.Single(parsed.Signals.OfType<LegRinging>()).Party);
    }

    [Theory]
    [InlineData("ftp%3a%2f%2fmyhost.info%2fa%2fb.wav")]
    [InlineData("ftp%253a%252f%252fmyhost.info%252fa%252fb.wav")]
    public void Parse_RecordLinkEncodedOnceOrTwice_Decoded(string link)
    {
        var parsed = (HookParse.Parsed)Parse(Infrastructure.Sipuni.Get(
            "event=2&call_id=c1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000050&status=ANSWER&call_start_timestamp=1700000000&call_answer_timestamp=1700000010&call_record_link=" + link));

        Assert.Equal("ftp://myhost.info/a/b.wav", Assert.Single(parsed.Signals.OfType<RecordingKnown>()).Url);
    }

    [Fact]
    public void Replies_AreWhatSipuniExpects()
    {
        var adapter = Infrastructure.Sipuni.Adapter;
        var ok = adapter.Accepted(Infrastructure.Sipuni.Account, (HookParse.Parsed)Parse(Infrastructure.Sipuni.Get(Answer)), new StoredRaw(1, false));
        var failed = adapter.Rejected("call_id is missing");

        Assert.True(JsonDocument.Parse(ok.Body).RootElement.GetProperty("success").GetBoolean());
        Assert.Equal(200, ok.StatusCode);
        var error = JsonDocument.Parse(failed.Body).RootElement;
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Equal("call_id is missing", error.GetProperty("error").GetString());
    }

    [Fact]
    public void Authenticate_WrongOrMissingSecret_False()
    {
        var adapter = Infrastructure.Sipuni.Adapter;
        var request = new Microsoft.AspNetCore.Http.HeaderDictionary();

        Assert.True(adapter.Authenticate(Infrastructure.Sipuni.Account, "secret-secret", request));
        Assert.False(adapter.Authenticate(Infrastructure.Sipuni.Account, "secret-secreT", request));
        Assert.False(adapter.Authenticate(Infrastructure.Sipuni.Account, null, request));
    }
}
