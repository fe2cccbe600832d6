using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace PbxHub.Simulation.Emulators;

/// <summary>
/// The state of the amoCRM stand-in (docs/connectors/amocrm.md#the-stand-in): the integration's tokens and codes on its
/// clock, the contacts' numbers, what it added, what it was asked, and the faults a test or a human turns on.
/// </summary>
internal sealed partial class AmoCrmAccount(AmoCrmEmulatorOptions options, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly List<AmoCrmRequest> requests = [];
    private readonly List<AmoCrmCall> calls = [];
    private readonly List<AmoCrmUnsorted> unsorted = [];
    private readonly List<JsonObject> events = [];
    private readonly Dictionary<string, (string RedirectUri, DateTimeOffset Expires)> codes = new(StringComparer.Ordinal);
    private int limited;

    public AmoCrmEmulatorOptions Options => options;

    public DateTimeOffset Now => time.GetUtcNow();

    public string? AccessToken { get; private set; }

    public string? RefreshToken { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>The redirect URI the tokens were given for (amoCRM wants it again with each refresh).</summary>
    public string? RedirectUri { get; private set; }

    /// <summary>How many times a refresh token was exchanged.</summary>
    public int Refreshes { get; private set; }

    /// <summary>While true every API call is answered 503 with an HTML page (the account is down).</summary>
    public bool Down { get; set; }

    public IReadOnlyList<AmoCrmRequest> Requests => Locked(() => requests.ToList());

    public IReadOnlyList<AmoCrmCall> Calls => Locked(() => calls.ToList());

    public IReadOnlyList<AmoCrmUnsorted> Unsorted => Locked(() => unsorted.ToList());

    /// <summary>The incoming-call notifications (<c>POST /api/v2/events</c>), each as one item of <c>add</c>.</summary>
    public IReadOnlyList<JsonObject> Events => Locked(() => events.ToList());

    /// <summary>The next <paramref name="count"/> API calls are answered 429.</summary>
    public void LimitNext(int count) => Interlocked.Exchange(ref limited, count);

    /// <summary>The access token expires now: the next call gets 401 and the integration must refresh.</summary>
    public void ExpireToken() => Locked(() => ExpiresAt = time.GetUtcNow().AddSeconds(-1));

    /// <summary>A contact's number amoCRM will know from now on.</summary>
    public void AddContact(string phone) => Locked(() => options.Contacts.Add(phone));

    /// <summary>A new authorisation code, as amoCRM sends one to the redirect URI when the account allows the integration (it lives 20 minutes).</summary>
    public string IssueCode(string redirectUri) => Locked(() =>
    {
        var code = NewToken();
        codes[code] = (redirectUri, time.GetUtcNow().AddMinutes(20));
        return code;
    });

    /// <summary><c>POST /oauth2/access_token</c>: (status, body).</summary>
    public (int, JsonObject) Token(Dictionary<string, string> f) => Locked(() =>
    {
        var answer = TokenAnswer(f);
        requests.Add(new AmoCrmRequest("POST", "/oauth2/access_token", JsonValue.Create(f.GetValueOrDefault("grant_type")), answer.Item1, answer.Item2["hint"]?.ToString()));
        return answer;
    });

    private (int, JsonObject) TokenAnswer(Dictionary<string, string> f)
    {
        if (f.GetValueOrDefault("client_id") != options.ClientId || f.GetValueOrDefault("client_secret") != options.ClientSecret)
        {
            return OAuthProblem(401, "Client authentication failed");
        }

        var redirect = f.GetValueOrDefault("redirect_uri");
        switch (f.GetValueOrDefault("grant_type"))
        {
            case "authorization_code":
                var code = f.GetValueOrDefault("code") ?? "";
                if (!codes.Remove(code, out var issued) || issued.Expires <= time.GetUtcNow())
                {
                    return OAuthProblem(400, "Authorization code has expired");
                }

                if (redirect != issued.RedirectUri)
                {
                    return OAuthProblem(400, "Redirect URI does not match");
                }

                return Issue(redirect);
            case "refresh_token":
                if (RefreshToken is null || f.GetValueOrDefault("refresh_token") != RefreshToken)
                {
                    return OAuthProblem(400, "Token has been revoked");
                }

                if (redirect != RedirectUri)
                {
                    return OAuthProblem(400, "Redirect URI does not match");
                }

                Refreshes++;
                return Issue(redirect);
            default:
                return OAuthProblem(400, "The authorization grant type is not supported by the authorization server");
        }
    }

    /// <summary>A new pair: the previous access and refresh tokens stop working (a refresh token is used once).</summary>
    private (int, JsonObject) Issue(string? redirect)
    {
        AccessToken = NewToken();
        RefreshToken = NewToken();
        RedirectUri = redirect;
        ExpiresAt = time.GetUtcNow() + options.TokenLifetime;
        return (200, new JsonObject
        {
            ["token_type"] = "Bearer", ["expires_in"] = (int)options.TokenLifetime.TotalSeconds, ["access_token"] = AccessToken, ["refresh_token"] = RefreshToken,
        });
    }

    /// <summary>Whether <c>Authorization</c> carries a working token: the long-lived one, or the current access token before it expires.</summary>
    private bool Authorised(string? authorization)
    {
        var token = authorization is { } a && a.StartsWith("Bearer ", StringComparison.Ordinal) ? a[7..] : null;
        return token is not null
            && ((options.LongLivedToken is { } longLived && token == longLived) || (token == AccessToken && ExpiresAt > time.GetUtcNow()));
    }

    private static (int, JsonObject) OAuthProblem(int status, string hint) => (status, new JsonObject
    {
        ["hint"] = hint, ["title"] = "Некорректный запрос", ["type"] = "https://developers.amocrm.ru/v3/errors/OAuthProblemJson", ["status"] = status,
        ["detail"] = "В запросе отсутствует ряд параметров или параметры невалидны",
    });

    private T Locked<T>(Func<T> f)
    {
        lock (gate)
        {
            return f();
        }
    }

    private void Locked(Action f)
    {
        lock (gate)
        {
            f();
        }
    }

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
}
