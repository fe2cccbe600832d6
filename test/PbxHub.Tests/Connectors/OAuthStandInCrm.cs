using System.Collections.Concurrent;
using PbxHub.Connectors;

namespace PbxHub.Tests.Connectors;

/// <summary>The token pair, and what a CRM keeps beside it (Bitrix24 its lines).</summary>
internal sealed record StandInSecrets(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt, string? Line = null);

internal sealed record StandInAnswer(int? Status, string? Token, string? Problem);

/// <summary>
/// The CRM's side of <see cref="OAuthTokens"/>' tests: the one access token it accepts, refresh tokens used once (as
/// amoCRM's), what it was sent. Also linked into the integration tests (two nodes on one PostgreSQL database).
/// </summary>
internal sealed class StandInOAuthCrm(TimeProvider time) : IOAuthCrm<StandInSecrets, StandInAnswer>
{
    private volatile string access = "access-1";
    private string refresh = "refresh-1";

    public ConcurrentQueue<string> Sent { get; } = new();

    private int refreshes;

    public int Refreshes => Volatile.Read(ref refreshes);

    /// <summary>Every token refused as expired, even a new one.</summary>
    public bool Revoked { get; set; }

    public Func<Task> OnExpired { get; set; } = () => Task.CompletedTask;

    public Func<Task> OnRefresh { get; set; } = () => Task.CompletedTask;

    public void ExpireNow() => access = "expired";

    public async Task<StandInAnswer> SendAsync(StandInSecrets secrets)
    {
        Sent.Enqueue(secrets.AccessToken);
        if (!Revoked && secrets.AccessToken == access)
        {
            return new StandInAnswer(200, secrets.AccessToken, null);
        }

        await OnExpired();
        return new StandInAnswer(401, null, "expired");
    }

    public (string Access, DateTimeOffset ExpiresAt) Token(StandInSecrets secrets) => (secrets.AccessToken, secrets.ExpiresAt);

    public TimeSpan RefreshBefore(ConnectorOptions c) => TimeSpan.FromMinutes(5);

    public StandInAnswer NotInstalled(ConnectorOptions c, bool uninstalled) => new(null, null, uninstalled ? "uninstalled" : "not installed");

    public bool Expired(StandInAnswer answer) => answer.Status == 401;

    public StandInAnswer StillExpired(StandInAnswer answer) => answer with { Problem = "still expired after a refresh" };

    public async Task<(StandInSecrets? Fresh, StandInAnswer? Problem)> RefreshAsync(ConnectorOptions c, StandInSecrets current, CancellationToken ct)
    {
        var made = Interlocked.Increment(ref refreshes);
        await OnRefresh();
        if (current.RefreshToken != refresh)
        {
            return (null, new StandInAnswer(400, null, "refreshing the token: invalid_grant"));
        }

        (access, refresh) = ($"access-{made + 1}", $"refresh-{made + 1}");
        return (current with { AccessToken = access, RefreshToken = refresh, ExpiresAt = time.GetUtcNow().AddHours(1) }, null);
    }
}
