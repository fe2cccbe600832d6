using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Api;
using PbxHub.Dashboard;
using PbxHub.Providers;
using PbxHub.Providers.Evrotel;
using PbxHub.Security;
using PbxHub.Storage;

namespace PbxHub.Tests.Security;

/// <summary>
/// Every place a presented secret meets the expected one: the right value passes, wrong ones of the same length,
/// shorter and longer do not, and each check goes through the one constant-time comparison (a test cannot time it).
/// </summary>
public sealed class ConstantTimeComparisonTests
{
    private const string Expected = "Expected-Secret-0123";

    public static TheoryData<string, bool> Presented => new()
    {
        { Expected, true },
        { Expected[..^1] + "X", false },     // same length, last character wrong
        { "X" + Expected[1..], false },      // same length, first character wrong
        { Expected[..^1], false },           // shorter: a prefix
        { Expected + "0", false },           // longer: the secret and more
        { "", false },
    };

    private static readonly Account Sipuni = new(
        "a", "sipuni", Expected, "Europe/Moscow", "RU", new Dictionary<string, string> { ["Sipuni:UserNumber"] = "1" }, AccountSources.Database);

    /// <summary>Runs <paramref name="check"/> and says how many constant-time comparisons it made on this thread.</summary>
    private static (T Result, int Comparisons) Counted<T>(Func<T> check)
    {
        var before = Secrets.ComparisonsOnThisThread;
        var result = check();
        return (result, Secrets.ComparisonsOnThisThread - before);
    }

    [Theory]
    [MemberData(nameof(Presented))]
    public void Secrets_AreEqual_OnlyTheSameValue(string presented, bool expected)
    {
        Assert.Equal(expected, Secrets.AreEqual(presented, Expected));
    }

    [Theory]
    [MemberData(nameof(Presented))]
    public void PathSecretHooks_Authenticate_ThroughTheConstantTimeComparison(string presented, bool expected)
    {
        var (result, comparisons) = Counted(() => PathSecretHooks.Authenticate(Sipuni, presented));

        Assert.Equal(expected, result);
        Assert.Equal(1, comparisons);
    }

    [Theory]
    [MemberData(nameof(Presented))]
    public void EvrotelAdapter_Authenticate_ThroughTheConstantTimeComparison(string presented, bool expected)
    {
        var account = Sipuni with { Provider = "evrotel", Settings = new Dictionary<string, string> { ["Evrotel:Token"] = Expected } };
        var headers = new HeaderDictionary { ["Authorization"] = presented };

        var (result, comparisons) = Counted(() => new EvrotelAdapter().Authenticate(account, null, headers));

        Assert.Equal(expected, result);
        Assert.Equal(1, comparisons);
    }

    [Theory]
    [MemberData(nameof(Presented))]
    public void ApiKeyValidator_ConfiguredKey_ThroughTheConstantTimeComparison(string presented, bool expected)
    {
        var options = new ApiKeysOptions();
        options.Keys.AddRange(["another-configured-key-9", Expected]);
        var validator = new ApiKeyValidator(Options.Create(options), new NoStoredKeys());

        // Synchronous up to the store, which answers at once: the comparisons happen on this thread.
        var (result, comparisons) = Counted(() => validator.IsValidAsync(presented, default).AsTask().GetAwaiter().GetResult());

        Assert.Equal(expected, result);
        Assert.Equal(2, comparisons);
    }

    [Theory]
    [MemberData(nameof(Presented))]
    public void DashboardAuth_UserPassword_ThroughTheConstantTimeComparison(string presented, bool expected)
    {
        var options = new DashboardOptions();
        options.Users.Add(new DashboardUser { Name = "anna", Password = Expected });
        var keys = new ApiKeyValidator(Options.Create(new ApiKeysOptions()), new NoStoredKeys());

        var (result, comparisons) = Counted(() => DashboardAuth.IdentifyAsync(null, "anna", presented, keys, options, default).GetAwaiter().GetResult());

        Assert.Equal(expected ? "anna" : null, result);
        Assert.Equal(presented.Length == 0 ? 0 : 1, comparisons);
    }

    private sealed class NoStoredKeys : IApiKeyStore
    {
        public Task AddAsync(string id, string name, string keyHash, DateTimeOffset createdAt, CancellationToken ct) => Task.CompletedTask;

        public Task<bool> ExistsAsync(string keyHash, CancellationToken ct) => Task.FromResult(false);
    }
}
