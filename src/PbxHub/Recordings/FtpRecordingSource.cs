using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using PbxHub.Delivery;

namespace PbxHub.Recordings;

/// <summary>An FTP server's refusal (<c>FTP 550 …</c>): a failed attempt with the server's own words.</summary>
internal sealed class FtpRefusedException(string message) : IOException(message);

/// <summary>
/// Fetches an <c>ftp://</c> recording link (RFC 959, passive mode; RFC 1738 for the link): the few commands a
/// download needs, over connections made through the webhooks' blocked-networks guard. .NET's own FTP client is
/// obsolete, so this is PbxHub's (docs/recordings.md#ftp-links). The data connection goes to the control connection's
/// address whatever <c>PASV</c> names, so a server cannot point the hub at another host.
/// </summary>
internal sealed partial class FtpRecordingSource : IAsyncDisposable
{
    private readonly Socket control;
    private readonly NetworkStream stream;
    private readonly StreamReader reader;
    private Socket? data;
    private (int Code, string Text) last;

    private FtpRecordingSource(Socket control)
    {
        this.control = control;
        stream = new NetworkStream(control, ownsSocket: true);
        reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
    }

    /// <summary>The file's size as the server gave it (<c>SIZE</c>), when it did.</summary>
    public long? Length { get; private set; }

    /// <summary>The file's bytes; read it to its end, then <see cref="CompleteAsync"/> checks that the server sent it all.</summary>
    public Stream Body { get; private set; } = Stream.Null;

    /// <summary>Logs in (the link's user, else anonymous), asks for the file in binary over a passive data connection.</summary>
    public static async Task<FtpRecordingSource> OpenAsync(Uri url, WebhookDestinations destinations, CancellationToken ct)
    {
        var socket = await destinations.ConnectAsync(new DnsEndPoint(url.DnsSafeHost, url.Port), ct);
        var ftp = new FtpRecordingSource(socket);
        try
        {
            await ftp.ExpectAsync(null, 220, ct);
            var (user, password) = Credentials(url);
            if (await ftp.CommandAsync($"USER {user}", ct) is (331 or 332, _))
            {
                await ftp.ExpectAsync($"PASS {password}", 230, ct, shown: "PASS ***");
            }
            else if (ftp.last is not (230, _))
            {
                throw ftp.Refused("USER");
            }

            await ftp.ExpectAsync("TYPE I", 200, ct);
            var path = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/'));
            if (path.Length == 0 || path.Contains('\n') || path.Contains('\r'))
            {
                throw new FtpRefusedException($"'{url}' names no file");
            }

            if (await ftp.CommandAsync($"SIZE {path}", ct) is (213, var size) && long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            {
                ftp.Length = bytes;
            }

            var port = await ftp.PassivePortAsync(ct);
            ftp.data = await destinations.ConnectAsync(new DnsEndPoint(((IPEndPoint)socket.RemoteEndPoint!).Address.ToString(), port), ct);
            if (await ftp.CommandAsync($"RETR {path}", ct) is not (125 or 150, _))
            {
                throw ftp.Refused("RETR");
            }

            ftp.Body = new NetworkStream(ftp.data, ownsSocket: false);
            return ftp;
        }
        catch
        {
            await ftp.DisposeAsync();
            throw;
        }
    }

    /// <summary>After the body was read to its end: the server's <c>226</c> says the file was sent whole.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        data?.Dispose();
        data = null;
        if (await ReplyAsync(ct) is not (226 or 250, _))
        {
            throw Refused("RETR");
        }
    }

    public async ValueTask DisposeAsync()
    {
        data?.Dispose();
        reader.Dispose();
        await stream.DisposeAsync();
        control.Dispose();
    }

    private static (string User, string Password) Credentials(Uri url)
    {
        if (url.UserInfo is not { Length: > 0 } info)
        {
            return ("anonymous", "pbxhub@");
        }

        var colon = info.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(colon < 0 ? info : info[..colon]);
        var password = colon < 0 ? "" : Uri.UnescapeDataString(info[(colon + 1)..]);
        return user.Contains('\n') || user.Contains('\r') || password.Contains('\n') || password.Contains('\r')
            ? throw new FtpRefusedException("the link's user or password holds a line break")
            : (user, password);
    }

    /// <summary><c>EPSV</c> (RFC 2428), else <c>PASV</c>: the port of the data connection.</summary>
    private async Task<int> PassivePortAsync(CancellationToken ct)
    {
        if (await CommandAsync("EPSV", ct) is (229, var epsv) && EpsvPort().Match(epsv) is { Success: true } e)
        {
            return int.Parse(e.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        if (await CommandAsync("PASV", ct) is (227, var pasv) && PasvAddress().Match(pasv) is { Success: true } p)
        {
            return (int.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture) * 256) + int.Parse(p.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        throw Refused("PASV");
    }

    private async Task ExpectAsync(string? command, int code, CancellationToken ct, string? shown = null)
    {
        var reply = command is null ? await ReplyAsync(ct) : await CommandAsync(command, ct);
        if (reply.Code != code)
        {
            throw Refused(shown ?? command ?? "greeting");
        }
    }

    private async Task<(int Code, string Text)> CommandAsync(string command, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), ct);
        return await ReplyAsync(ct);
    }

    /// <summary>One reply, multi-line ones (<c>123-…</c> up to <c>123 …</c>) read whole.</summary>
    private async Task<(int Code, string Text)> ReplyAsync(CancellationToken ct)
    {
        var line = await reader.ReadLineAsync(ct) ?? throw new IOException("the FTP server closed the connection");
        if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            throw new IOException($"not an FTP reply: {line}");
        }

        if (line.Length > 3 && line[3] == '-')
        {
            var end = line[..3] + " ";
            while ((await reader.ReadLineAsync(ct) ?? throw new IOException("the FTP server closed the connection")) is var next && !next.StartsWith(end, StringComparison.Ordinal))
            {
            }
        }

        last = (code, line.Length > 4 ? line[4..].Trim() : "");
        return last;
    }

    private FtpRefusedException Refused(string command) => new($"FTP {last.Code} {last.Text} ({command})");

    [GeneratedRegex(@"\(\|\|\|(\d{1,5})\|\)")]
    private static partial Regex EpsvPort();

    [GeneratedRegex(@"\d{1,3},\d{1,3},\d{1,3},\d{1,3},(\d{1,3}),(\d{1,3})")]
    private static partial Regex PasvAddress();
}
