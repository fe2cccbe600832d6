using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Security;

/// <summary>Kestrel's own HTTPS, set up with configuration keys only, as docs/deployment.md describes.</summary>
public sealed class HttpsTests
{
    [Fact]
    public async Task Serve_HttpsEndpointFromConfiguration_AnswersOverTlsWithTheCertificateAndHsts()
    {
        var folder = Directory.CreateTempSubdirectory("pbxhub-tls-");
        using var certificate = SelfSigned("hub.test");
        var pfx = Path.Combine(folder.FullName, "hub.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));

        await using var hub = await HubServer.StartAsync(new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = pfx,
            ["Kestrel:Endpoints:Https:Certificate:Password"] = "pfx-password",
        });
        var address = new Uri(hub.BaseUrl);
        Assert.Equal("https", address.Scheme);

        string? served = null;
        using var handler = new SocketsHttpHandler
        {
            // hub.test stands for the public name; HSTS is never sent to localhost names.
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, address.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
        {
            served = cert?.GetCertHashString();
            return served == certificate.GetCertHashString();
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://hub.test:{address.Port}") };

        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(certificate.GetCertHashString(), served);
        var hsts = Assert.Single(response.Headers.GetValues("Strict-Transport-Security"));
        Assert.Equal("max-age=31536000", hsts);
        folder.Delete(recursive: true);
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = TimeProvider.System.GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }
}
