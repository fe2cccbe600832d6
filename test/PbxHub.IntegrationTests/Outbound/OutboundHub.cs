using Microsoft.Extensions.DependencyInjection;
using PbxHub.Accounts;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;
using PbxHub.Storage;
using PbxHub.Storage.Sqlite;

namespace PbxHub.IntegrationTests.Outbound;

/// <summary>A hub with a UIS account (declared in configuration) and an Evrotel account pointing at the stand-ins.</summary>
internal static class OutboundHub
{
    public const string UisAccount = "acme-uis";
    public const string EvrotelAccount = "acme-evrotel";
    public const string EvrotelToken = "G7bng65jYk8GF294";

    public static Task<HubServer> StartAsync(EmulatorHost? uis, EmulatorHost? evrotel, IDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>(extra ?? new Dictionary<string, string>());
        if (uis is not null)
        {
            settings["PbxHub:Accounts:1:Id"] = UisAccount;
            settings["PbxHub:Accounts:1:Provider"] = "uis";
            settings["PbxHub:Accounts:1:Uis:BaseUrl"] = uis.BaseUrl;
            settings["PbxHub:Accounts:1:Uis:Login"] = "bbb";
            settings["PbxHub:Accounts:1:Uis:Password"] = "bbb";
            settings["PbxHub:Accounts:1:Uis:ServiceNumber"] = "74993720692";
        }

        return HubServer.StartAsync(settings, configure: evrotel is null ? null : b => b.Services.AddSingleton<IAccountStore>(sp =>
            new WithAccount(sp.GetRequiredService<SqliteAccountStore>(), EvrotelAccountFor(evrotel))));
    }

    /// <summary>
    /// The Evrotel account, added beside the stored ones without the provider check: the outbound client
    /// needs only its settings, and the inbound adapter may live on another branch.
    /// </summary>
    public static Account EvrotelAccountFor(EmulatorHost evrotel) => new(
        EvrotelAccount, "evrotel", "unused-secret", "Europe/Kyiv", "UA",
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Evrotel:Token"] = EvrotelToken, ["Evrotel:BillCode"] = "20558", ["Evrotel:BaseUrl"] = evrotel.BaseUrl,
        },
        AccountSources.Database);

    private sealed class WithAccount(IAccountStore inner, Account extra) : IAccountStore
    {
        public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct) => [.. await inner.ListAsync(ct), extra];

        public Task AddAsync(Account account, CancellationToken ct) => inner.AddAsync(account, ct);

        public Task<bool> RemoveAsync(string id, CancellationToken ct) => inner.RemoveAsync(id, ct);
    }
}
