using System.Security.Cryptography;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Storage;

namespace PbxHub.Reconciliation;

/// <summary>
/// A history row as a raw event of its call (kind <c>history</c>, the row's own bytes), and what the fold reads back
/// from it. The same row read again by an overlapping window is a duplicate; a changed row is a new fact.
/// </summary>
internal static class HistoryRows
{
    public static RawRow Row(Account account, string callKey, HistoryRow row) =>
        new(0, account.Id, account.Provider, RawKinds.History, callKey, $"history:{callKey}:{Sha256(row.Row.Body)}", row.Row, null);

    /// <summary>An answer that could not be understood: kept in quarantine with its reason, joined to no call.</summary>
    public static RawRow Garbage(Account account, HistoryPage.Garbage page) =>
        new(0, account.Id, account.Provider, RawKinds.Quarantined, null, $"history-garbage:{Sha256(page.Answer.Body)}",
            page.Answer, "history: " + page.Reason);

    /// <summary>What a stored row says; nothing when the provider has no reader any more or the row cannot be read.</summary>
    public static IReadOnlyList<CallSignal> Signals(IHistoryReader? reader, Account account, RawRequest row)
    {
        try
        {
            return reader?.Read(account, row) is { } facts ? [new HistoryReported(row.ReceivedAt, facts)] : [];
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // A reader that throws on a row (a bug, an old shape) must not stop the call from folding: the row says nothing then.
            return [];
        }
    }

    private static string Sha256(byte[] body) => Convert.ToHexStringLower(SHA256.HashData(body));
}
