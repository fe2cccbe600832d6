using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using PbxHub.Security;

namespace PbxHub.Delivery;

/// <summary>
/// Where webhooks may go: nowhere inside <see cref="DeliveryOptions.BlockedNetworks"/>. Whoever holds an API key chooses
/// a subscription's URL, and the hub sends from inside the operator's network, so the check is made on the addresses a
/// name resolves to when the connection is opened: a name that points inside, or is made to later, is refused as well.
/// </summary>
internal sealed class WebhookDestinations(IOptions<DeliveryOptions> options)
{
    private readonly IPNetwork[] blocked = NetworkAddresses.ParseNetworks(options.Value.BlockedNetworks);

    public bool IsBlocked(IPAddress address) => blocked.Any(n => NetworkAddresses.Contains(n, address));

    /// <summary>Why a URL whose host is an address cannot be subscribed; null for a name (checked when connecting) or an allowed address.</summary>
    public string? Problem(Uri url) =>
        url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(url.DnsSafeHost, out var address) && IsBlocked(address)
            ? $"{url.Host} is inside {DeliveryOptions.Section}:BlockedNetworks: webhooks are not sent there"
            : null;

    /// <summary><see cref="SocketsHttpHandler.ConnectCallback"/>: connects to the first allowed address of the host.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct) =>
        new NetworkStream(await ConnectAsync(context.DnsEndPoint, ct), ownsSocket: true);

    /// <summary>A TCP connection to the first allowed address of the host (recordings' FTP connections too).</summary>
    public async Task<Socket> ConnectAsync(DnsEndPoint endPoint, CancellationToken ct)
    {
        var host = endPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(a => !IsBlocked(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(
                $"{host} ({string.Join(", ", addresses.Select(a => a.ToString()))}) is inside {DeliveryOptions.Section}:BlockedNetworks: not sent");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endPoint.Port, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
