using System.Security.Cryptography;
using System.Text;

namespace PbxHub.Providers;

internal static class Secrets
{
    /// <summary>Constant-time comparison, so the time taken says nothing about how much of a guess was right.</summary>
    public static bool AreEqual(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
