using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>Stand-in servers the tests start as processes (an S3 server, an FTP server).</summary>
internal static class LocalServers
{
    /// <summary>True once <paramref name="port"/> accepts connections; false when the process exited or 10 s passed.</summary>
    public static async Task<bool> ListeningAsync(Process process, int port)
    {
        for (var i = 0; i < 200 && !process.HasExited; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        return false;
    }
}
