using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PbxHub.Simulation.Emulators;

/// <summary>A method call the stand-in was asked, its parameters without <c>auth</c>, and the error it answered (null: accepted).</summary>
internal sealed record Bitrix24Request(string Method, JsonObject Parameters, string? Error, string? Description);

/// <summary>A call registered on the stand-in, as Bitrix24 keeps it.</summary>
internal sealed class Bitrix24Call(string callId, string? externalId, int userId, string phone, int type)
{
    public string CallId { get; } = callId;

    public string? ExternalId { get; } = externalId;

    public int UserId { get; } = userId;

    public string Phone { get; } = phone;

    public int Type { get; } = type;

    public bool Finished { get; set; }

    /// <summary>The <c>STATUS_CODE</c> it was finished with.</summary>
    public string? StatusCode { get; set; }

    /// <summary>The talk seconds (<c>DURATION</c>) it was finished with.</summary>
    public int Duration { get; set; }

    public string? Record { get; set; }
}

/// <summary>
/// The state of the Bitrix24 stand-in (docs/connectors.md#the-stand-in): tokens, users, lines, calls, what it was asked,
/// and the faults a test or a human turns on (a query limit, the portal down, tokens expired).
/// </summary>
internal sealed partial class Bitrix24Portal(Bitrix24EmulatorOptions options, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly List<Bitrix24Request> requests = [];
    private readonly Dictionary<string, Bitrix24Call> calls = new(StringComparer.Ordinal);
    private readonly HashSet<string> lines = new(StringComparer.Ordinal);
    private readonly HashSet<string> oldTokens = new(StringComparer.Ordinal);
    private int limited;

    public Bitrix24EmulatorOptions Options => options;

    public string AccessToken { get; private set; } = NewToken();

    public string RefreshToken { get; private set; } = NewToken();

    public DateTimeOffset ExpiresAt { get; private set; } = time.GetUtcNow() + options.TokenLifetime;

    public string ApplicationToken { get; } = NewToken();

    public string MemberId { get; } = NewToken();

    /// <summary>How many times the OAuth server gave a new token pair.</summary>
    public int Refreshes { get; private set; }

    /// <summary>While true every REST call is answered 503 without a Bitrix24 body (the portal is down).</summary>
    public bool Down { get; set; }

    public IReadOnlyList<Bitrix24Request> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>The calls the stand-in accepted, in order, each as (method, parameters).</summary>
    public IReadOnlyList<Bitrix24Request> Accepted => [.. Requests.Where(r => r.Error is null)];

    public IReadOnlyList<Bitrix24Call> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. calls.Values];
            }
        }
    }

    /// <summary>The next <paramref name="count"/> REST calls are refused with <c>QUERY_LIMIT_EXCEEDED</c>.</summary>
    public void LimitNext(int count) => Interlocked.Exchange(ref limited, count);

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The access token expires now: the next call gets <c>expired_token</c>.</summary>
    public void ExpireToken()
    {
        lock (gate)
        {
            ExpiresAt = time.GetUtcNow().AddSeconds(-1);
        }
    }

    /// <summary>A call registered as Bitrix24 does when a user clicks a number (before <c>ONEXTERNALCALLSTART</c>).</summary>
    public Bitrix24Call RegisterClick(int userId, string phone)
    {
        lock (gate)
        {
            var call = new Bitrix24Call(NewCallId(), null, userId, phone, 1);
            calls[call.CallId] = call;
            return call;
        }
    }

    /// <summary>The answer of one REST call: (HTTP status, body).</summary>
    public (int Status, JsonObject Body) Handle(string method, JsonObject parameters, string? auth)
    {
        lock (gate)
        {
            var answer = Answer(method, parameters, auth);
            var body = answer.Body;
            requests.Add(new Bitrix24Request(method, parameters, body["error"]?.ToString(), body["error_description"]?.ToString()));
            return answer;
        }
    }

    /// <summary>The OAuth server's answer to <c>grant_type=refresh_token</c>.</summary>
    public (int Status, JsonObject Body) Refresh(string? grant, string? clientId, string? clientSecret, string? refresh, string baseUrl)
    {
        lock (gate)
        {
            if (clientId != options.ClientId || clientSecret != options.ClientSecret)
            {
                return (401, Error("invalid_client", "Invalid client credentials"));
            }

            if (grant != "refresh_token" || refresh != RefreshToken)
            {
                return (400, Error("invalid_grant", "Invalid refresh token"));
            }

            oldTokens.Add(AccessToken);
            AccessToken = NewToken();
            RefreshToken = NewToken();
            ExpiresAt = time.GetUtcNow() + options.TokenLifetime;
            Refreshes++;
            return (200, Auth(baseUrl, withApplicationToken: false));
        }
    }

    /// <summary>The <c>auth</c> block of an event, or the OAuth server's answer (which has no application_token).</summary>
    public JsonObject Auth(string baseUrl, bool withApplicationToken = true)
    {
        var auth = new JsonObject
        {
            ["access_token"] = AccessToken, ["expires"] = ExpiresAt.ToUnixTimeSeconds(), ["expires_in"] = (int)options.TokenLifetime.TotalSeconds,
            ["scope"] = "telephony,crm,user", ["domain"] = new Uri(baseUrl).Authority, ["server_endpoint"] = baseUrl + "/rest/", ["status"] = "L",
            ["client_endpoint"] = baseUrl + "/rest/", ["member_id"] = MemberId, ["user_id"] = 1, ["refresh_token"] = RefreshToken,
        };
        if (withApplicationToken)
        {
            auth["application_token"] = ApplicationToken;
        }

        return auth;
    }

    private (int Status, JsonObject Body) Answer(string method, JsonObject p, string? auth)
    {
        if (Interlocked.Decrement(ref limited) >= 0)
        {
            return (503, Error("QUERY_LIMIT_EXCEEDED", "Too many requests"));
        }

        Interlocked.Exchange(ref limited, 0);
        if (auth is null || (auth != AccessToken && !oldTokens.Contains(auth)))
        {
            return (401, Error("NO_AUTH_FOUND", "Wrong authorization data"));
        }

        if (auth != AccessToken || ExpiresAt <= time.GetUtcNow())
        {
            return (401, Error("expired_token", "The access token provided has expired"));
        }

        return method.ToLowerInvariant() switch
        {
            "telephony.externalline.add" => LineAdd(p),
            "telephony.externalcall.register" => Register(p),
            "telephony.externalcall.show" or "telephony.externalcall.hide" => ShowOrHide(p),
            "telephony.externalcall.finish" => Finish(p),
            "telephony.externalcall.attachrecord" => AttachRecord(p),
            "user.get" => UserGet(p),
            _ => (404, Error("ERROR_METHOD_NOT_FOUND", "Method not found!")),
        };
    }
}
