using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using SipuniKit = PbxHub.Tests.Infrastructure.Sipuni;
using PbxHub.Tests.Providers.Evrotel;
using PbxHub.Tests.Providers.HookType;

namespace PbxHub.Tests.Providers;

/// <summary>Provider text the stores cannot hold (found by fuzzing on PostgreSQL): NUL and half surrogate pairs become U+FFFD.</summary>
public sealed class ProviderTextTests
{
    [Fact]
    public void Storable_Text_NulAndHalfSurrogatePairsReplaced()
    {
        // Not [InlineData]: test discovery cannot carry half a surrogate pair.
        (string Text, string Expected)[] cases =
            [("a\0b", "a\uFFFDb"), ("\ud800x", "\uFFFDx"), ("x\udfff", "x\uFFFD"), ("😀 звонок", "😀 звонок"), ("", "")];

        Assert.All(cases, c => Assert.Equal(c.Expected, ProviderText.Storable(c.Text)));
    }

    [Fact]
    public void Parse_NulInEveryProvidersValues_CallKeyAndPartiesHoldReplacementCharacter()
    {
        var sipuni = Assert.IsType<HookParse.Parsed>(SipuniKit.Adapter.Parse(SipuniKit.Account, SipuniKit.Get(
            "event=1&call_id=a%00b&src_num=8903%001234567&src_type=1&dst_num=84951234567&dst_type=1&timestamp=1700000000")));
        var hookType = Assert.IsType<HookParse.Parsed>(HookTypeHooks.Parse("""{"SessionID":"a\u0000b","HookType":"CreateIncCall","StartTime":"2021-01-28 14:15:22","Caller":"958\u00002412128"}"""));
        var evrotel = Assert.IsType<HookParse.Parsed>(EvrotelKit.Parse("""{"callstatus":"end","callid":"a\u0000b","numberA":"0987\u0000858227"}"""));

        Assert.All([sipuni, hookType, evrotel], p => Assert.Equal("a\uFFFDb", p.CallKey));
        Assert.Equal("8903\uFFFD1234567", sipuni.Signals.OfType<CallSeen>().Single().From?.Raw);
        Assert.Equal("958\uFFFD2412128", hookType.Signals.OfType<CallSeen>().Single().From?.Raw);
        Assert.Equal("0987\uFFFD858227", evrotel.Signals.OfType<CallSeen>().Single().From?.Raw);
    }

    [Fact]
    public void ParseSafely_ReasonQuotingARawNul_ReasonIsStorable()
    {
        var failed = Assert.IsType<HookParse.Failed>(HookTypeHooks.Adapter.ParseSafely(HookTypeHooks.Account, HookTypeHooks.Post([.. """{"SessionID":"""u8, 0x00])));

        Assert.DoesNotContain('\0', failed.Reason);
    }

    [Fact]
    public void ParseSafely_AdapterThrowsUnexpectedly_QuarantinedWithTheExceptionNamed()
    {
        var failed = Assert.IsType<HookParse.Failed>(new ThrowingAdapter().ParseSafely(SipuniKit.Account, SipuniKit.Get("event=1&call_id=x")));

        Assert.Contains("KeyNotFoundException", failed.Reason, StringComparison.Ordinal);
    }

    /// <summary>Sipuni's adapter with a bug: its parse throws what no adapter is expected to throw.</summary>
    private sealed class ThrowingAdapter : IProviderAdapter
    {
        private readonly IProviderAdapter sipuni = SipuniKit.Adapter;

        public string Name => "broken";

        public bool SecretInPath => sipuni.SecretInPath;

        public string DefaultTimeZone => sipuni.DefaultTimeZone;

        public string DefaultCountry => sipuni.DefaultCountry;

        public string? HookPath(Account account) => sipuni.HookPath(account);

        public IEnumerable<string> SettingsProblems(Account account) => sipuni.SettingsProblems(account);

        public bool Authenticate(Account account, string? pathSecret, Microsoft.AspNetCore.Http.IHeaderDictionary headers) => true;

        public HookParse Parse(Account account, RawRequest request) => throw new KeyNotFoundException("The given key 'src_num' was not present.");

        public HookReply Accepted(Account account, HookParse.Parsed parsed, StoredRaw stored) => sipuni.Accepted(account, parsed, stored);

        public HookReply Quarantined(string reason) => sipuni.Quarantined(reason);

        public HookReply Rejected(string reason) => sipuni.Rejected(reason);

        public HookReply Denied() => sipuni.Denied();
    }
}
