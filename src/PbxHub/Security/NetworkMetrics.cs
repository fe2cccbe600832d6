using System.Diagnostics.Metrics;

namespace PbxHub.Security;

/// <summary>Requests refused before they reached the hub's work: too large, from outside an allow-list, over a rate limit.</summary>
internal sealed class NetworkMetrics
{
    public const string MeterName = "PbxHub.Network";

    private readonly Counter<long> refused;

    public NetworkMetrics(IMeterFactory meters)
    {
        refused = meters.Create(MeterName).CreateCounter<long>(
            "pbxhub.http.refused", description: "Requests refused before the hub did their work, by surface (hooks, api, dashboard) and reason");
    }

    public void Refused(string surface, string reason) =>
        refused.Add(1, new KeyValuePair<string, object?>("surface", surface), new KeyValuePair<string, object?>("reason", reason));
}

/// <summary>The <c>surface</c> tag of <see cref="NetworkMetrics"/> for the dashboard's sign-in form.</summary>
internal static class DashboardRefusals
{
    public const string Surface = "dashboard";
}

/// <summary>The <c>reason</c> tag of <see cref="NetworkMetrics"/>.</summary>
internal static class RefusalReasons
{
    public const string TooLarge = "too_large";
    public const string NotAllowed = "network_not_allowed";
    public const string PerSource = "rate_limit_source";
    public const string PerAccount = "rate_limit_account";
    public const string PerKey = "rate_limit_key";
    public const string SignInFailures = "sign_in_failures";
    public const string Overloaded = "overloaded";
    public const string SlowBody = "slow_body";
    public const string BadRequest = "bad_request";
    public const string StorageFault = "storage_fault";
}
