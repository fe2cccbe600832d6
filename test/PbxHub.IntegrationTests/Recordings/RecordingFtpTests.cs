
namespace PbxHub.IntegrationTests.Recordings;

/// <summary><c>ftp://</c> recording links fetched from a real FTP server, with the same checks as over HTTP.</summary>
public sealed class RecordingFtpTests
{
    [Fact]
    public async Task Fetch_FtpLinkWithCredentials_KeptAndServedByteForByte()
    {
        await using var ftp = await FtpOrigin.StartAsync();
        Directory.CreateDirectory(Path.Combine(ftp.Folder, "frecords", "2026"));
        await File.WriteAllBytesAsync(Path.Combine(ftp.Folder, "frecords", "2026", "call 1.wav"), RecordingOrigin.Wav);
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin, new Dictionary<string, string> { ["PbxHub:Accounts:0:Recordings:Hosts"] = ftp.Host });

        var id = await RecordingHub.SendCallAsync(hub, "rec-ftp", ftp.Link("frecords/2026/call%201.wav"));
        var recording = await RecordingHub.SettledAsync(hub, id);

        Assert.Equal("kept", recording.GetProperty("state").GetString());
        Assert.Equal(RecordingOrigin.Wav.Length, recording.GetProperty("bytes").GetInt64());
        Assert.Equal(RecordingOrigin.Wav, await hub.Client.GetByteArrayAsync($"/api/v1/calls/{id}/recording"));
    }

    [Fact]
    public async Task Fetch_FtpFileMissing_FailedWithTheServersReply()
    {
        await using var ftp = await FtpOrigin.StartAsync();
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin, new Dictionary<string, string> { ["PbxHub:Accounts:0:Recordings:Hosts"] = ftp.Host });

        var id = await RecordingHub.SendCallAsync(hub, "rec-ftp-missing", ftp.Link("frecords/none.wav"));
        var recording = await RecordingHub.SettledAsync(hub, id);

        Assert.Equal("failed", recording.GetProperty("state").GetString());
        Assert.StartsWith("FTP 550", recording.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_FtpHtmlFile_FailedAsNotAudio()
    {
        await using var ftp = await FtpOrigin.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(ftp.Folder, "page.wav"), "<html><body>Not found</body></html>");
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin, new Dictionary<string, string> { ["PbxHub:Accounts:0:Recordings:Hosts"] = ftp.Host });

        var id = await RecordingHub.SendCallAsync(hub, "rec-ftp-html", ftp.Link("page.wav"));
        var recording = await RecordingHub.SettledAsync(hub, id);

        Assert.Equal("failed", recording.GetProperty("state").GetString());
        Assert.StartsWith("not a recording", recording.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_FtpLinkToAnotherHost_RefusedWithoutConnecting()
    {
        await using var ftp = await FtpOrigin.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(ftp.Folder, "a.wav"), RecordingOrigin.Wav);
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin);

        var id = await RecordingHub.SendCallAsync(hub, "rec-ftp-host", ftp.Link("a.wav"));
        var recording = await RecordingHub.SettledAsync(hub, id);

        Assert.Equal("failed", recording.GetProperty("state").GetString());
        Assert.Contains("not one of the account's recording hosts", recording.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
