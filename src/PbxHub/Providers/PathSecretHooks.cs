using System.Text.Json;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Security;

namespace PbxHub.Providers;

/// <summary>
/// The hook conventions Sipuni and HookType share: neither signs its requests, so the account's secret is a
/// segment of the hook URL, and both expect <c>{"success": …}</c> answers.
/// </summary>
internal static class PathSecretHooks
{
    public static string HookPath(Account account) => $"/hooks/{account.Id}/{Uri.EscapeDataString(account.Secret)}";

    public static bool Authenticate(Account account, string? pathSecret) =>
        pathSecret is not null && Secrets.AreEqual(pathSecret, account.Secret);

    public static readonly HookReply Accepted = HookReply.Json(200, """{"success": true}""");

    /// <summary>
    /// Stored, so acknowledged: Sipuni may stop sending to a URL that does not answer success, and one unreadable
    /// request must not pause the account (docs/quarantine.md). The reason is kept in the answer for whoever reads it.
    /// </summary>
    public static HookReply Quarantined(string reason) =>
        HookReply.Json(200, JsonSerializer.Serialize(new { success = true, quarantined = true, error = reason }, CallJson.Options));

    public static HookReply Rejected(string reason) =>
        HookReply.Json(400, JsonSerializer.Serialize(new { success = false, error = reason }, CallJson.Options));

    public static HookReply Denied() => Rejected("access denied") with { StatusCode = 403 };
}
