using System.Text;
using PbxHub.Providers.Evrotel;
using PbxHub.Recordings;

namespace PbxHub.Tests.Recordings;

public sealed class AudioHeaderTests
{
    [Fact]
    public void Read_Wav_AudioWavWithItsDuration()
    {
        var wav = WavFormat.Silence(1, 8000, 16, TimeSpan.FromSeconds(3));

        var info = AudioHeader.Read(wav, wav.Length);

        Assert.Equal(new AudioInfo("audio/wav", "wav", 3.0), info);
    }

    [Fact]
    public void Read_WavWhoseRecorderNeverFinishedTheHeader_DurationFromTheFileLength()
    {
        var wav = WavFormat.Silence(1, 8000, 16, TimeSpan.FromSeconds(1));
        wav[40] = wav[41] = wav[42] = wav[43] = 0xFF;

        Assert.Equal(1.0, AudioHeader.Read(wav, wav.Length)!.DurationSeconds);
    }

    [Fact]
    public void Read_Mp3AfterAnId3Tag_AudioMpegWithDurationFromTheBitRate()
    {
        // ID3v2 header with a 6-byte tag, then an MPEG-1 Layer III frame header at 128 kbit/s.
        byte[] head = [.. "ID3"u8, 4, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0xFF, 0xFB, 0x90, 0x64];
        var length = 16 + 160_000L;

        var info = AudioHeader.Read(head, length);

        Assert.Equal("audio/mpeg", info!.ContentType);
        Assert.Equal(10.0, info.DurationSeconds);
    }

    [Fact]
    public void Read_HtmlErrorPage_NotAudio()
    {
        var html = Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body>404 Not Found</body></html>");

        Assert.Null(AudioHeader.Read(html, html.Length));
        Assert.Contains("starts with \"<!DOCTYPE html>", AudioHeader.NotAudio(html, "text/html"), StringComparison.Ordinal);
    }
}
