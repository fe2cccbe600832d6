using System.Text.Json;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;

namespace PbxHub.Providers.HookType;

/// <summary>
/// "Call events by webhook" (docs/providers/hooktype-dialect.md; named HookType after its discriminator field): JSON POSTs to
/// <c>/hooks/{accountId}/{secret}</c>, answered with <c>{"success": true}</c>. The body is read as JSON
/// whatever the Content-Type says. Times are the account's local wall clock.
/// </summary>
internal sealed class HookTypeAdapter : IProviderAdapter
{
    /// <summary>The zone of the PBX's wall clock when the account names none, shared with the simulator.</summary>
    public const string UsualTimeZone = "Europe/Moscow";

    public string Name => "hooktype";

    public string HookPath(Account account) => PathSecretHooks.HookPath(account);

    public bool SecretInPath => true;

    public string DefaultTimeZone => UsualTimeZone;

    public string DefaultCountry => "RU";

    public IEnumerable<string> SettingsProblems(Account account) => [];

    public bool Authenticate(Account account, string? pathSecret, IHeaderDictionary headers) => PathSecretHooks.Authenticate(account, pathSecret);

    public HookParse Parse(Account account, RawRequest request)
    {
        var (fields, problem) = HookTypeFields.Read(request.Body);
        if (fields is null)
        {
            return new HookParse.Failed(problem!);
        }

        var (hook, eventProblem) = HookTypeEventReader.Read(fields, account.Zone);
        return hook is null
            ? new HookParse.Failed(eventProblem!)
            : new HookParse.Parsed(hook.SessionId, fields.DedupeKey(), HookTypeSignals.From(account, hook));
    }

    public HookReply Accepted(Account account, HookParse.Parsed parsed, StoredRaw stored) => PathSecretHooks.Accepted;

    public HookReply Quarantined(string reason) => PathSecretHooks.Quarantined(reason);

    public HookReply Rejected(string reason) => PathSecretHooks.Rejected(reason);

    public HookReply Denied() => PathSecretHooks.Denied();
}
