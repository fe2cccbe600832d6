using System.Security.Cryptography;
using System.Text;

namespace PbxHub.Security;

/// <summary>
/// The one place a presented secret is compared with the expected one (hook path secrets, Evrotel tokens,
/// configured API keys, dashboard passwords, subscription secrets).
/// </summary>
internal static class Secrets
{
    [ThreadStatic]
    private static int comparisonsOnThisThread;

    /// <summary>How many comparisons this thread made: lets tests prove a check goes through here.</summary>
    internal static int ComparisonsOnThisThread => comparisonsOnThisThread;

    /// <summary>
    /// Constant-time comparison, so the time taken says nothing about how much of a guess was right. Both sides
    /// are hashed first, so the compared spans have one length whatever the lengths of the secrets.
    /// </summary>
    public static bool AreEqual(string presented, string expected)
    {
        comparisonsOnThisThread++;
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}
