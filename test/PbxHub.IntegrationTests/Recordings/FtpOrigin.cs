using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Recordings;

/// <summary>
/// A real FTP server on 127.0.0.1 (Debian's <c>python3-pyftpdlib</c>, installed by test.sh), serving a temporary folder
/// to one user, as a PBX that leaves its recordings on FTP does.
/// </summary>
internal sealed class FtpOrigin : IAsyncDisposable
{
    public const string User = "pbx";
    public const string Password = "rec p@ss";
    private readonly Process process;

    private FtpOrigin(Process process, int port, string folder)
    {
        this.process = process;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }

    /// <summary>The folder the server shares: put the recordings here.</summary>
    public string Folder { get; }

    /// <summary>The account setting that lets the hub fetch from here.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>A link with the user and password in it, as providers hand them out.</summary>
    public string Link(string path) => $"ftp://{User}:{Uri.EscapeDataString(Password)}@{Host}/{path}";

    public static async Task<FtpOrigin> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("pbxhub-ftp-").FullName;
        var port = HubProcess.FreePort();
        // Debian's interpreter, which has pyftpdlib, rather than whichever python3 comes first on PATH.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-m", "pyftpdlib", "-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-d", folder, "-u", User, "-P", Password])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new FtpOrigin(process, port, folder);
        if (await LocalServers.ListeningAsync(process, port))
        {
            return server;
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"pyftpdlib did not start (apt-get install python3-pyftpdlib): {errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }
}
