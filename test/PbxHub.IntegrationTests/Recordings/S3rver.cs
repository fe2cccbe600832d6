using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Recordings;

/// <summary>
/// A real S3-protocol server on 127.0.0.1 (npm's <c>s3rver</c>, installed from the npm registry on first use into a
/// folder of its own), with one bucket, in a temporary data folder.
/// </summary>
internal sealed class S3rver : IAsyncDisposable
{
    public const string Bucket = "recordings";
    private const string Package = "s3rver@3.7.1";
    private static readonly SemaphoreSlim Installing = new(1, 1);
    private readonly Process process;

    private S3rver(Process process, int port)
    {
        this.process = process;
        ServiceUrl = $"http://127.0.0.1:{port}";
    }

    public string ServiceUrl { get; }

    /// <summary>The hub's settings for this server (s3rver takes any key pair it is given).</summary>
    public IDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["PbxHub:Recordings:Store"] = "s3",
        ["PbxHub:Recordings:S3:ServiceUrl"] = ServiceUrl,
        ["PbxHub:Recordings:S3:Bucket"] = Bucket,
        ["PbxHub:Recordings:S3:AccessKey"] = "S3RVER",
        ["PbxHub:Recordings:S3:SecretKey"] = "S3RVER",
        ["PbxHub:Recordings:S3:Prefix"] = "pbxhub/",
    };

    public static async Task<S3rver> StartAsync()
    {
        var script = await InstallAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var data = Directory.CreateTempSubdirectory("pbxhub-s3rver-data-").FullName;
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[script, "-d", data, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--configure-bucket", Bucket])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new S3rver(process, port);
        if (await LocalServers.ListeningAsync(process, port))
        {
            return server;
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("s3rver did not start (npm must be able to install it).");
    }

    private static async Task<string> InstallAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pbxhub-s3rver-3.7.1");
        var script = Path.Combine(folder, "node_modules", "s3rver", "bin", "s3rver.js");
        await Installing.WaitAsync();
        try
        {
            if (!File.Exists(script))
            {
                Directory.CreateDirectory(folder);
                var npm = new ProcessStartInfo("npm") { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var arg in (string[])["install", "--no-audit", "--no-fund", "--prefix", folder, Package])
                {
                    npm.ArgumentList.Add(arg);
                }

                using var install = Process.Start(npm)!;
                var output = install.StandardOutput.ReadToEndAsync();
                var errors = await install.StandardError.ReadToEndAsync();
                await install.WaitForExitAsync();
                if (install.ExitCode != 0)
                {
                    throw new InvalidOperationException($"npm install {Package} failed ({install.ExitCode}): {await output}{errors}");
                }
            }

            return script;
        }
        finally
        {
            Installing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
