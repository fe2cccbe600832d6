using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PbxHub.Security;
using PbxHub.Storage;

namespace PbxHub.Api;

/// <summary>API keys declared in configuration (<c>PbxHub:ApiKeys</c>, e.g. <c>PbxHub__ApiKeys__0=…</c>).</summary>
internal sealed class ApiKeysOptions
{
    public const string Section = "PbxHub:ApiKeys";

    public List<string> Keys { get; } = [];
}

/// <summary>Checks bearer keys against configuration and the hashed keys in the database.</summary>
internal sealed class ApiKeyValidator(IOptions<ApiKeysOptions> options, IApiKeyStore store)
{
    private readonly string[] configured = options.Value.Keys.Where(k => k.Length > 0).Select(Hash).Distinct(StringComparer.Ordinal).ToArray();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> known = new(StringComparer.Ordinal);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string NewKey() => "pbx_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    private bool IsConfigured(string hash)
    {
        var found = false;
        foreach (var candidate in configured)
        {
            found |= Secrets.AreEqual(hash, candidate);
        }

        return found;
    }

    public ValueTask<bool> IsValidAsync(string key, CancellationToken ct) => IsValidHashAsync(Hash(key), ct);

    /// <summary>Whether <paramref name="hash"/> is the <see cref="Hash"/> of a valid key.</summary>
    public async ValueTask<bool> IsValidHashAsync(string hash, CancellationToken ct)
    {
        // Keys are looked up by their SHA-256 digest: the time a lookup takes can only tell about the digest,
        // which says nothing of the key. Configured keys are also compared in constant time, each of them.
        if (IsConfigured(hash) || known.ContainsKey(hash))
        {
            return true;
        }

        if (!await store.ExistsAsync(hash, ct))
        {
            return false;
        }

        known[hash] = true;
        return true;
    }
}

internal sealed class ApiKeyFilter(ApiKeyValidator validator) : IEndpointFilter
{
    /// <summary>The <c>HttpContext.Items</c> entry holding the valid key's hash, for the filters after this one.</summary>
    public const string KeyHashItem = "PbxHub.ApiKeyHash";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            // The dashboard's pages call the API (live stream, call back) with their sign-in cookie.
            switch (await Dashboard.DashboardAuth.CheckCookieAsync(context.HttpContext))
            {
                case Dashboard.DashboardCookieCheck.Allowed:
                    return await next(context);
                case Dashboard.DashboardCookieCheck.ForgeryRejected:
                    return Results.Problem(statusCode: 403, title: "Antiforgery token required", detail: "Send the dashboard page's antiforgery token in the RequestVerificationToken header.");
            }

            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(statusCode: 401, title: "API key required", detail: "Send 'Authorization: Bearer <api key>'.");
        }

        var hash = ApiKeyValidator.Hash(header[scheme.Length..].Trim());
        if (!await validator.IsValidHashAsync(hash, context.HttpContext.RequestAborted))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Results.Problem(statusCode: 401, title: "Invalid API key", detail: "The API key is not known to this hub.");
        }

        context.HttpContext.Items[KeyHashItem] = hash;
        return await next(context);
    }
}
