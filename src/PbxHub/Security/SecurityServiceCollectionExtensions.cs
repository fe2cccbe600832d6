using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;
using PbxHub.Storage;

namespace PbxHub.Security;

internal static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// The stored secrets' encryption and the key ring it shares with the dashboard's cookies and antiforgery
    /// tokens. One application name for every node whatever folder it runs from, so a key ring shared between
    /// nodes is one key ring to all of them (the default name is the content root, which differs between installs).
    /// </summary>
    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        var dataProtection = services.AddDataProtection().SetApplicationName("PbxHub");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<SecurityOptions>, IOptions<StorageOptions>, IServiceProvider>((keys, security, storage, services) =>
                keys.XmlRepository = security.Value.InTheDatabase
                    ? new DatabaseKeyRing(services.GetRequiredService<ISqlDatabase>(), services.GetRequiredService<TimeProvider>())
                    : new FileSystemXmlRepository(KeyFolder.Create(security.Value.KeysPath(storage.Value)), services.GetRequiredService<ILoggerFactory>()));
        if (CertificateOrNull(configuration) is { } certificate)
        {
            // Encrypts each new key with it and decrypts the stored ones with it.
            dataProtection.ProtectKeysWithCertificate(certificate);
        }
        else
        {
            // Said plainly, once, by KeyRingNotice in our words (docs/deployment.md §8) instead of the framework's
            // warning at every new key: without a certificate the key files are protected by their permissions.
            services.Configure<KeyManagementOptions>(keys => keys.XmlEncryptor ??= new NullXmlEncryptor());
        }

        services.AddHostedService<KeyRingNotice>();

        services.AddSingleton<SecretProtector>();
        services.AddSingleton<PlainSecretsUpgrade>();
        return services;
    }

    /// <summary>Data Protection takes the certificate when services are registered; a bad one is named by the options' validation at start.</summary>
    private static System.Security.Cryptography.X509Certificates.X509Certificate2? CertificateOrNull(IConfiguration configuration)
    {
        var options = configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        try
        {
            return File.Exists(options.KeyCertificate) ? options.LoadCertificate() : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
