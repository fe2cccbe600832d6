using Microsoft.Extensions.Options;
using PbxHub.Storage;

namespace PbxHub.Security;

/// <summary>The key ring's folder, created readable by the service's user only.</summary>
internal static class KeyFolder
{
    public static DirectoryInfo Create(string path)
    {
        if (!Directory.Exists(path) && !OperatingSystem.IsWindows())
        {
            // The key files are written 0600 by Data Protection; the folder is closed as well, so not even
            // their names (the keys' ids and lifetimes) are listed to other users.
            return Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new DirectoryInfo(path);
    }
}

/// <summary>Says at start where the key ring is and how its keys are protected at rest (docs/deployment.md §8).</summary>
internal sealed partial class KeyRingNotice(
    IOptions<SecurityOptions> security, IOptions<StorageOptions> storage, ILogger<KeyRingNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = security.Value;
        using var certificate = Certificate(options);
        if (certificate is not null)
        {
            KeysEncrypted(logger, options.Describe(storage.Value), certificate.Subject, certificate.Thumbprint);
        }
        else
        {
            KeysInFolder(logger, options.KeysPath(storage.Value));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate(SecurityOptions options)
    {
        try
        {
            return options.LoadCertificate();
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // Named by the options' validation, which runs before this.
        }
    }

    [LoggerMessage(1, LogLevel.Information,
        "Data-protection keys (they encrypt the stored secrets and sign dashboard sign-ins) are in {Where}, each encrypted with the certificate {Subject} ({Thumbprint})")]
    private static partial void KeysEncrypted(ILogger logger, string where, string subject, string thumbprint);

    [LoggerMessage(2, LogLevel.Information,
        "Data-protection keys (they encrypt the stored secrets and sign dashboard sign-ins) are in {Folder}, readable by this user only and not encrypted: back the folder up apart from the database, or set PbxHub:Security:KeyCertificate to encrypt them (docs/deployment.md §8)")]
    private static partial void KeysInFolder(ILogger logger, string folder);
}
