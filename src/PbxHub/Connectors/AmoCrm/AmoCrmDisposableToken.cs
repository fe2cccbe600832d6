using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PbxHub.Connectors.AmoCrm;

/// <summary>What a valid disposable token says: the amoCRM user and account the widget's request comes from.</summary>
internal sealed record AmoCrmWidgetUser(int UserId, int AccountId, string? AccountDomain, string? TokenId);

/// <summary>
/// amoCRM's disposable token (<c>X-Auth-Token</c>, from the widget's <c>$authorizedAjax()</c>): a JWT signed HS256 with the
/// integration's secret key. Checked as amocrm-api-php's <c>parseDisposableToken</c> does: the signature, the audience
/// (<c>aud</c> = scheme and host of the integration's redirect URI), and <c>exp</c>/<c>nbf</c>/<c>iat</c> against the clock,
/// without leeway (docs/connectors/amocrm.md#click-to-call).
/// </summary>
internal static class AmoCrmDisposableToken
{
    /// <returns>The user, or null with why the token was refused.</returns>
    public static (AmoCrmWidgetUser? User, string? Problem) Check(string? token, string secret, string audience, DateTimeOffset now)
    {
        var parts = token?.Split('.') ?? [];
        if (parts.Length != 3)
        {
            return (null, "X-Auth-Token is not a JWT");
        }

        JsonElement header, claims;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url(parts[0])).RootElement;
            claims = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
            signature = Base64Url(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return (null, "X-Auth-Token is not a JWT");
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (!header.TryGetProperty("alg", out var alg) || alg.GetString() != "HS256" || !CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return (null, "the token's signature is not the integration's (HS256 with AmoCrm:ClientSecret)");
        }

        if (!Audiences(claims).Contains(audience, StringComparer.OrdinalIgnoreCase))
        {
            return (null, $"the token is not for {audience} (aud)");
        }

        var at = now.ToUnixTimeSeconds();
        if (Time(claims, "exp") is not { } exp || at >= exp || Time(claims, "nbf") > at || Time(claims, "iat") > at)
        {
            return (null, "the token expired or is not valid yet (exp, nbf, iat)");
        }

        if (Number(claims, "user_id") is not { } user)
        {
            return (null, "the token names no user_id");
        }

        return (new AmoCrmWidgetUser(user, Number(claims, "account_id") ?? 0, Text(claims, "iss"), Text(claims, "jti")), null);
    }

    /// <summary>A token as amoCRM signs one (the stand-in's widget uses it).</summary>
    public static string Sign(IReadOnlyDictionary<string, object> claims, string secret)
    {
        var head = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["typ"] = "JWT", ["alg"] = "HS256" }));
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(head + "." + body));
        return $"{head}.{body}.{Base64Url(signature)}";
    }

    private static IEnumerable<string> Audiences(JsonElement claims) =>
        !claims.TryGetProperty("aud", out var aud) ? []
        : aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Select(a => a.GetString() ?? "")
        : [aud.GetString() ?? ""];

    private static long? Time(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) ? (long)d : null;

    private static int? Number(JsonElement claims, string name) =>
        !claims.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n
        : v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var s) ? s
        : null;

    private static string? Text(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
