using PbxHub.Bench.Traffic;

namespace PbxHub.Bench.Targets;

/// <summary>
/// The configuration every benchmark hub runs with, in process or as a <c>pbxhub serve</c> child: a Sipuni
/// account <c>demo</c>, a HookType account <c>ht</c>, an Evrotel account <c>kyiv</c> (token in Authorization),
/// one API key, logging at Warning. The flood limits are off.
/// </summary>
internal static class HubSettings
{
    public const string Secret = "bench-secret-0123456789";
    public const string EvrotelToken = "bench-evrotel-token-0123";
    public const string ApiKey = "bench-api-key-0123456789";

    /// <summary>Configuration keys (<c>PbxHub:…</c>) for an engine; PostgreSQL needs its database's connection string.</summary>
    public static Dictionary<string, string> For(string engine, string? postgresConnectionString)
    {
        var config = new Dictionary<string, string>
        {
            ["PbxHub:Storage:Provider"] = engine,
            ["PbxHub:ApiKeys:0"] = ApiKey,
            ["PbxHub:Accounts:0:Id"] = "demo",
            ["PbxHub:Accounts:0:Provider"] = "sipuni",
            ["PbxHub:Accounts:0:Secret"] = Secret,
            ["PbxHub:Accounts:0:TimeZone"] = "Europe/Moscow",
            ["PbxHub:Accounts:0:Country"] = "RU",
            ["PbxHub:Accounts:0:Sipuni:UserNumber"] = "012345",
            ["PbxHub:Accounts:1:Id"] = "ht",
            ["PbxHub:Accounts:1:Provider"] = "hooktype",
            ["PbxHub:Accounts:1:Secret"] = Secret,
            ["PbxHub:Accounts:1:TimeZone"] = "Europe/Moscow",
            ["PbxHub:Accounts:2:Id"] = "kyiv",
            ["PbxHub:Accounts:2:Provider"] = "evrotel",
            ["PbxHub:Accounts:2:TimeZone"] = "Europe/Kyiv",
            ["PbxHub:Accounts:2:Country"] = "UA",
            ["PbxHub:Accounts:2:Evrotel:Token"] = EvrotelToken,
            ["PbxHub:Accounts:2:Evrotel:RecordingBaseUrl"] = "https://records.evrotel.example/calls",
            // The benchmark measures the hub's engine from one address at thousands of requests a second,
            // above the flood limits a deployment keeps: those are turned off here.
            ["PbxHub:Network:RateLimits:HooksPerAccount:PermitLimit"] = "0",
            ["PbxHub:Network:RateLimits:HooksPerSource:PermitLimit"] = "0",
            ["PbxHub:Network:RateLimits:ApiPerKey:PermitLimit"] = "0",
            ["PbxHub:Network:RateLimits:ApiPerSource:PermitLimit"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        if (postgresConnectionString is not null)
        {
            config["PbxHub:Storage:ConnectionString"] = postgresConnectionString;
        }

        return config;
    }

    /// <summary>The same keys as environment variables, as a deployment writes them (<c>PbxHub__Accounts__0__Id</c>).</summary>
    public static Dictionary<string, string> AsEnvironment(Dictionary<string, string> config) =>
        config.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);

    public static string HookUrl(string address, BenchProvider provider) => provider.Name switch
    {
        "sipuni" => $"{address}/hooks/demo/{Secret}",
        "hooktype" => $"{address}/hooks/ht/{Secret}",
        _ => $"{address}/hooks/kyiv",
    };

    public static IReadOnlyDictionary<string, string> Headers(BenchProvider provider) => provider.SecretInPath
        ? new Dictionary<string, string>()
        : new Dictionary<string, string> { ["Authorization"] = EvrotelToken };
}
