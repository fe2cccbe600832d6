using PbxHub.Connectors.AmoCrm;

namespace PbxHub.Tests.Connectors.AmoCrm;

/// <summary>The widget's X-Auth-Token checked as amocrm-api-php's parseDisposableToken checks it: signature, audience, lifetime.</summary>
public sealed class AmoCrmDisposableTokenTests
{
    private const string Secret = "integration-secret";
    private const string Audience = "https://hub.example.com";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_764_000_000);

    private static string Token(string secret = Secret, string audience = Audience, long lifetime = 1800) => AmoCrmDisposableToken.Sign(new Dictionary<string, object>
    {
        ["iss"] = "https://example.amocrm.ru", ["aud"] = audience, ["jti"] = "b4c5a3e2-0000-4000-8000-000000000001", ["iat"] = Now.ToUnixTimeSeconds(),
        ["nbf"] = Now.ToUnixTimeSeconds(), ["exp"] = Now.ToUnixTimeSeconds() + lifetime, ["account_id"] = 28805383, ["user_id"] = 504142,
        ["client_uuid"] = "client", ["subdomain"] = "example", ["is_admin"] = false,
    }, secret);

    [Fact]
    public void Check_SignedForThisHub_TheUserAndAccount()
    {
        var (user, problem) = AmoCrmDisposableToken.Check(Token(), Secret, Audience, Now.AddMinutes(1));

        Assert.Null(problem);
        Assert.Equal(new AmoCrmWidgetUser(504142, 28805383, "https://example.amocrm.ru", "b4c5a3e2-0000-4000-8000-000000000001"), user);
    }

    [Theory]
    [InlineData("other-secret", Audience, 1800, 60, "signature")]
    [InlineData(Secret, "https://evil.example.com", 1800, 60, "aud")]
    [InlineData(Secret, Audience, 1800, 1801, "expired")]
    [InlineData(Secret, Audience, 1800, -60, "not valid yet")]
    public void Check_WrongSecretAudienceOrTime_RefusedSayingWhy(string secret, string audience, long lifetime, int secondsLater, string why)
    {
        var (user, problem) = AmoCrmDisposableToken.Check(Token(secret, audience, lifetime), Secret, Audience, Now.AddSeconds(secondsLater));

        Assert.Null(user);
        Assert.Contains(why, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not.a.jwt")]
    [InlineData("abc")]
    public void Check_NotAJwt_Refused(string? token) => Assert.NotNull(AmoCrmDisposableToken.Check(token, Secret, Audience, Now).Problem);
}
