using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PbxHub.Providers.Evrotel;

/// <summary>
/// The call id PbxHub answers to a start, which Evrotel sends back as <c>callid</c> on the end. The
/// adapter keeps no state, so the id is a function of the account and the start's canonical fields: a
/// retried start gets the same id again, and replay finds the same id in the stored request.
/// </summary>
internal static class EvrotelCallIds
{
    private const ulong Smallest = 100_000_000_000_000; // 15 digits: no leading zero

    private const ulong Range = 900_000_000_000_000; // below 10^15 < 2^53: survives a JavaScript number or a double

    public static string ForStart(string accountId, EvrotelFields start)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("evrotel-call-id\n" + accountId + "\n" + start.Canonical()));
        var value = Smallest + (BinaryPrimitives.ReadUInt64BigEndian(hash) % Range);
        return value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// An end that carries no <c>callid</c> is still a call: keyed by its own fields, in a form no issued id
    /// (all digits) can take, so it never joins another call by accident.
    /// </summary>
    public static string ForEndWithoutId(EvrotelFields end) => "end-" + end.Digest("evrotel-end-without-callid")[..24];
}
