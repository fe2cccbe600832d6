using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using PbxHub.Storage;

namespace PbxHub.Security;

/// <summary>
/// Encrypts the secrets the hub must use again (hook secrets, provider credentials, webhook signing secrets)
/// before they are stored, with the Data Protection key ring. A stored value carries <see cref="Prefix"/>, so
/// rows written in clear by an earlier version are told apart, still read, and encrypted at start-up.
/// </summary>
internal sealed partial class SecretProtector(
    IDataProtectionProvider provider, IOptions<SecurityOptions> security, IOptions<StorageOptions> storage, ILogger<SecretProtector> logger)
{
    /// <summary>No stored secret in clear starts so: hook secrets hold no ':', settings are JSON, signing secrets start with whsec_.</summary>
    public const string Prefix = "pbxhub-enc:1:";

    private readonly IDataProtector protector = provider.CreateProtector("PbxHub.SecretsAtRest.v1");
    private readonly ConcurrentDictionary<string, bool> reported = new(StringComparer.Ordinal);

    /// <summary>What an account or subscription whose secrets cannot be decrypted is reported with.</summary>
    public string UnreadableProblem =>
        $"its stored secrets were encrypted with a Data Protection key that is not in this hub's key ring, {security.Value.Describe(storage.Value)}: "
        + "restore the key ring backed up with the database, or share it between the nodes (docs/deployment.md, Secrets)";

    public static bool IsProtected(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    public string Protect(string plain) => Prefix + protector.Protect(plain);

    public string? ProtectOrNull(string? plain) => plain is null ? null : Protect(plain);

    /// <summary>The secret as stored in clear by an earlier version, or decrypted; false when this key ring cannot decrypt it.</summary>
    /// <param name="owner">What holds the secret (<c>account 'x'</c>), for the log.</param>
    public bool TryReveal(string stored, string owner, [NotNullWhen(true)] out string? plain)
    {
        if (!IsProtected(stored))
        {
            plain = stored;
            return true;
        }

        try
        {
            plain = protector.Unprotect(stored[Prefix.Length..]);
            return true;
        }
        catch (CryptographicException ex)
        {
            if (reported.TryAdd(owner, true))
            {
                LogUnreadable(logger, owner, security.Value.Describe(storage.Value), ex.Message);
            }

            plain = null;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message =
        "The secrets of {Owner} cannot be decrypted: the Data Protection key that encrypted them is not in this hub's key ring, {KeyRing} ({Reason}). "
        + "It stays unusable until that key ring is restored (back it up with the database) or shared with the node that wrote it.")]
    private static partial void LogUnreadable(ILogger logger, string owner, string keyRing, string reason);
}
