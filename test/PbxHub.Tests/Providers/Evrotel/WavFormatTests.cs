using System.Text;
using PbxHub.Providers.Evrotel;

namespace PbxHub.Tests.Providers.Evrotel;

public sealed class WavFormatTests
{
    [Fact]
    public void Read_Mono16Bit8k_HasNoProblems()
    {
        var (format, error) = WavFormat.Read(WavFormat.Silence(1, 8000, 16, TimeSpan.FromMilliseconds(100)));
        Assert.Null(error);
        Assert.Equal(new WavFormat(1, 1, 8000, 16), format);
        Assert.Empty(format!.ProblemsForTelephony());
    }

    [Theory]
    [InlineData(2, 8000, 16, "stereo (2 channels)")]
    [InlineData(1, 44100, 16, "44100 Hz")]
    [InlineData(1, 8000, 8, "8-bit")]
    [InlineData(2, 44100, 16, "stereo (2 channels), 44100 Hz")]
    public void ProblemsForTelephony_WrongFormat_NamesWhatIsWrong(int channels, int rate, int bits, string expected)
    {
        var (format, _) = WavFormat.Read(WavFormat.Silence(channels, rate, bits, TimeSpan.FromMilliseconds(100)));
        Assert.Equal(expected, string.Join(", ", format!.ProblemsForTelephony()));
    }

    [Fact]
    public void Read_ExtraChunkBeforeFmt_IsSkipped()
    {
        var wav = WavFormat.Silence(1, 8000, 16, TimeSpan.FromMilliseconds(10));
        var list = "LIST"u8.ToArray().Concat(BitConverter.GetBytes(3)).Concat(new byte[] { 1, 2, 3, 0 }).ToArray();
        var withList = wav[..12].Concat(list).Concat(wav[12..]).ToArray();
        Assert.Equal(new WavFormat(1, 1, 8000, 16), WavFormat.Read(withList).Format);
    }

    [Theory]
    [InlineData("ID3\u0003 this is an mp3")]
    [InlineData("")]
    [InlineData("RIFF\0\0\0\0AVI LIST")]
    public void Read_NotAWav_SaysSo(string text)
    {
        var (format, error) = WavFormat.Read(Encoding.ASCII.GetBytes(text));
        Assert.Null(format);
        Assert.StartsWith("not a WAV file", error, StringComparison.Ordinal);
    }
}
