using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using PbxHub.Storage;

namespace PbxHub.Security;

/// <summary>
/// Where the Data Protection key ring that encrypts the stored secrets lives (<c>PbxHub:Security</c>). The same
/// key ring signs the dashboard's cookies and antiforgery tokens, so every node of a cluster must share it.
/// </summary>
internal sealed class SecurityOptions
{
    public const string Section = "PbxHub:Security";
    public const string InDirectory = "directory";
    public const string InDatabase = "database";

    /// <summary>
    /// <c>directory</c> (default): key files in <see cref="KeysDirectory"/>. <c>database</c>: in the hub's database
    /// (table <c>data_protection_keys</c>), which needs <see cref="KeyCertificate"/>: keys stored unprotected next to
    /// the secrets they encrypt would let a copy of the database reveal them.
    /// </summary>
    public string KeyRing { get; set; } = InDirectory;

    /// <summary>The key ring's folder; default <c>keys</c> inside <c>PbxHub:Storage:DataDirectory</c> (<c>./data/keys</c>).</summary>
    public string? KeysDirectory { get; set; }

    /// <summary>A PKCS#12 (.pfx) file whose certificate encrypts the keys of the key ring; optional with a directory.</summary>
    public string? KeyCertificate { get; set; }

    public string? KeyCertificatePassword { get; set; }

    public bool InTheDatabase => string.Equals(KeyRing, InDatabase, StringComparison.OrdinalIgnoreCase);

    public string KeysPath(StorageOptions storage) => Path.GetFullPath(KeysDirectory ?? Path.Combine(storage.DataDirectory, "keys"));

    /// <summary>Where the key ring is, in words, for the messages that say it is missing.</summary>
    public string Describe(StorageOptions storage) => InTheDatabase
        ? "the database's data_protection_keys table (PbxHub:Security:KeyRing=database)"
        : $"'{KeysPath(storage)}' (PbxHub:Security:KeysDirectory)";

    public X509Certificate2? LoadCertificate() => string.IsNullOrWhiteSpace(KeyCertificate)
        ? null
        : X509CertificateLoader.LoadPkcs12FromFile(KeyCertificate, KeyCertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
}

internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        if (!string.Equals(options.KeyRing, SecurityOptions.InDirectory, StringComparison.OrdinalIgnoreCase) && !options.InTheDatabase)
        {
            failures.Add($"{SecurityOptions.Section}:KeyRing must be '{SecurityOptions.InDirectory}' or '{SecurityOptions.InDatabase}', not '{options.KeyRing}'");
        }

        if (options.InTheDatabase && string.IsNullOrWhiteSpace(options.KeyCertificate))
        {
            failures.Add($"{SecurityOptions.Section}:KeyRing=database needs {SecurityOptions.Section}:KeyCertificate (a .pfx file): "
                + "keys kept unprotected in the database they protect would let any copy of it reveal the secrets");
        }

        if (!string.IsNullOrWhiteSpace(options.KeyCertificate))
        {
            failures.AddRange(CertificateProblems(options));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> CertificateProblems(SecurityOptions options)
    {
        var key = $"{SecurityOptions.Section}:KeyCertificate";
        if (!File.Exists(options.KeyCertificate))
        {
            return [$"{key}: no file '{options.KeyCertificate}'"];
        }

        try
        {
            using var certificate = options.LoadCertificate()!;
            return certificate.HasPrivateKey ? [] : [$"{key}: '{options.KeyCertificate}' holds no private key, so the keys it encrypts could not be read back"];
        }
        catch (CryptographicException ex)
        {
            return [$"{key}: '{options.KeyCertificate}' cannot be read as a PKCS#12 file with {SecurityOptions.Section}:KeyCertificatePassword ({ex.Message})"];
        }
    }
}
