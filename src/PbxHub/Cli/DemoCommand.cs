using System.CommandLine;
using System.Security.Cryptography;
using PbxHub.Accounts;
using PbxHub.Api;
using PbxHub.Simulation;

namespace PbxHub.Cli;

/// <summary>
/// <c>pbxhub demo</c>: a hub on SQLite in a folder of its own, one account per simulated provider and their
/// simulated traffic, so the dashboard has calls to show within seconds (docs/first-run.md).
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var backlog = new Option<int>("--calls") { Description = "Calls of each account sent at start (then one more every --every)", DefaultValueFactory = _ => 30 };
        var every = new Option<TimeSpan>("--every") { Description = "How often each account gets a new call", DefaultValueFactory = _ => TimeSpan.FromSeconds(5) };
        var command = new Command("demo", "Run a hub with a demo account per provider and simulated calls (SQLite in a temporary folder unless --data; --urls passes through)")
        {
            backlog, every,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(CliApp.DataOption);
            var data = given ?? Path.Combine(Path.GetTempPath(), "pbxhub-demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
            var key = ApiKeyValidator.NewKey();
            var accounts = ScenarioGenerators.Providers
                .Select(p => ScenarioGenerators.Find(p, new GeneratorSettings("012345"))!)
                .Select(g => new DemoAccount("demo-" + g.Provider, "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), g))
                .ToList();
            try
            {
                await using var app = HubHost.Build([.. parse.UnmatchedTokens, .. Arguments(accounts, key)], parse.GetValue(CliApp.ConfigOption), data);
                ConfigurationCheck.ThrowIfAny(app.Services);
                await app.StartAsync(ct);
                var url = FirstRunGuide.DashboardUrl(app.Services);
                WriteGuide(url, key, accounts, given is null ? $"{Path.GetFullPath(data)} (deleted when the demo stops)" : Path.GetFullPath(data));
                var stopping = app.Lifetime.ApplicationStopping;
                var traffic = new DemoTraffic(accounts, new Uri(url), parse.GetValue(every), TimeProvider.System)
                    .RunAsync(parse.GetValue(backlog), stopping);
                await app.WaitForShutdownAsync(ct);
                await traffic.ContinueWith(_ => { }, TaskScheduler.Default);
            }
            finally
            {
                if (given is null && Directory.Exists(data))
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    Directory.Delete(data, recursive: true);
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>The demo's settings, as ASP.NET Core arguments: they win over the environment, so a demo never uses a real database.</summary>
    private static IEnumerable<string> Arguments(IReadOnlyList<DemoAccount> accounts, string key)
    {
        yield return "--PbxHub:Storage:Provider=sqlite";
        yield return $"--PbxHub:ApiKeys:0={key}";
        for (var i = 0; i < accounts.Count; i++)
        {
            var (prefix, account) = ($"--PbxHub:Accounts:{i}", accounts[i]);
            yield return $"{prefix}:Id={account.Id}";
            yield return $"{prefix}:Provider={account.Generator.Provider}";
            yield return $"{prefix}:Secret={account.Secret}";
            foreach (var (name, value) in account.Generator.AccountSettings(account.Secret))
            {
                yield return $"{prefix}:{name}={value}";
            }
        }
    }

    private static void WriteGuide(string url, string key, IReadOnlyList<DemoAccount> accounts, string data)
    {
        Console.WriteLine($"PbxHub demo is running. Dashboard: {url}");
        Console.WriteLine($"  Sign in with the API key {key}");
        Console.WriteLine($"  Simulated calls arrive for the accounts {string.Join(", ", accounts.Select(a => a.Id))}.");
        Console.WriteLine($"  API: curl -H 'Authorization: Bearer {key}' {url}api/v1/calls");
        Console.WriteLine($"  Data: {data}. Stop with Ctrl+C.");
    }
}
