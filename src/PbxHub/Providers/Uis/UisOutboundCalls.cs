using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PbxHub.Accounts;

namespace PbxHub.Providers.Uis;

/// <summary>
/// UIS Call API v1 (docs/providers/uis.md): <c>authenticate</c>, then <c>place_calls</c> with the cached session key.
/// On -32002 or -32005 a new key is fetched once and the call repeated; never more, and never after a
/// timeout, since <c>place_calls</c> is not idempotent.
/// </summary>
internal sealed partial class UisOutboundCalls(UisRpc rpc, UisSessions sessions, ILogger<UisOutboundCalls> logger) : IOutboundCalls
{
    public string Provider => "uis";

    public async Task<OutboundOutcome> PlaceCallAsync(Account account, PlaceCallInput input, CancellationToken ct)
    {
        var (parameters, errors) = UisCallParams.Build(account, input);
        if (parameters is null)
        {
            return new OutboundOutcome.Invalid(errors.AsReadOnly());
        }

        var endpoint = UisRpc.Endpoint(account.Setting(UisAdapter.BaseUrlKey)!);
        var cacheKey = CacheKey(account);
        var exchanges = new List<ProviderExchange>();
        var renewed = false;
        while (true)
        {
            var (key, problem) = await SessionKeyAsync(account, endpoint, cacheKey, exchanges, ct);
            if (key is null)
            {
                return new OutboundOutcome.Failed(problem!, exchanges);
            }

            var withKey = new JsonObject { ["session_key"] = key };
            foreach (var (name, value) in parameters)
            {
                withKey[name] = value?.DeepClone();
            }

            var reply = await rpc.CallAsync(endpoint, "place_calls", withKey, placesCall: true, ct);
            exchanges.Add(reply.Exchange);
            if (reply.Problem is { } transport)
            {
                return new OutboundOutcome.Failed(transport, exchanges);
            }

            if (reply.ErrorCode is { } code)
            {
                if (UisErrors.NeedsNewSession(code) && !renewed)
                {
                    LogRenewing(account.Id, code);
                    sessions.Forget(cacheKey, key);
                    renewed = true;
                    continue;
                }

                return new OutboundOutcome.Failed(UisErrors.Problem(code, reply.ErrorMessage!, reply.ErrorData, placesCall: true), exchanges);
            }

            return reply.Result is JsonValue v && v.TryGetValue<string>(out var result) && result == "success"
                ? new OutboundOutcome.Placed(exchanges)
                : new OutboundOutcome.Failed(UisErrors.Failed(reply.Result), exchanges);
        }
    }

    private async Task<(string? Key, OutboundProblem? Problem)> SessionKeyAsync(
        Account account, Uri endpoint, string cacheKey, List<ProviderExchange> exchanges, CancellationToken ct)
    {
        if (sessions.Current(cacheKey) is { } cached)
        {
            return (cached, null);
        }

        var gate = sessions.Gate(cacheKey);
        await gate.WaitAsync(ct);
        try
        {
            if (sessions.Current(cacheKey) is { } fresh)
            {
                return (fresh, null);
            }

            var reply = await rpc.CallAsync(endpoint, "authenticate", new JsonObject
            {
                ["login"] = account.Setting(UisAdapter.LoginKey),
                ["password"] = account.Setting(UisAdapter.PasswordKey),
            }, placesCall: false, ct);
            exchanges.Add(reply.Exchange);
            if (reply.Problem is { } transport)
            {
                return (null, transport);
            }

            if (reply.ErrorCode is { } code)
            {
                return (null, UisErrors.Problem(code, reply.ErrorMessage!, reply.ErrorData, placesCall: false));
            }

            if (reply.Result?["session_key"] is JsonValue k && k.TryGetValue<string>(out var key) && key.Length > 0)
            {
                sessions.Store(cacheKey, key);
                LogAuthenticated(account.Id);
                return (key, null);
            }

            return (null, new OutboundProblem(502, "UIS gave no session key",
                $"authenticate answered {(reply.Result is null ? "no result" : "a result")} without a text result.session_key.",
                "Check that Uis:BaseUrl leads to the UIS Call API v1."));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A change of address or credentials must not reuse the old key.</summary>
    private static string CacheKey(Account account) =>
        account.Id + "\n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{account.Setting(UisAdapter.BaseUrlKey)}\n{account.Setting(UisAdapter.LoginKey)}\n{account.Setting(UisAdapter.PasswordKey)}")));

    [LoggerMessage(Level = LogLevel.Information, Message = "UIS session key obtained for account {Account}")]
    private partial void LogAuthenticated(string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "UIS answered {Code} for account {Account}: fetching a new session key once")]
    private partial void LogRenewing(string account, int code);
}
