using System.Buffers.Binary;
using System.Text;

namespace PbxHub.Recordings;

/// <summary>What the first bytes of a file say it is: WAV or MP3, with its duration; anything else is not a recording.</summary>
internal sealed record AudioInfo(string ContentType, string Extension, double? DurationSeconds);

internal static class AudioHeader
{
    /// <summary>Enough of the file to find a WAV's format and data chunks, or an MP3's first frame after its ID3 tag.</summary>
    public const int HeadLength = 64 * 1024;

    private static readonly int[] Mpeg1Layer3Kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0];
    private static readonly int[] Mpeg2Layer3Kbps = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0];

    /// <summary>The audio in <paramref name="head"/>, the start of a file of <paramref name="length"/> bytes; null when it is not WAV or MP3.</summary>
    public static AudioInfo? Read(ReadOnlySpan<byte> head, long length)
    {
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8))
        {
            return new AudioInfo("audio/wav", "wav", WavSeconds(head, length));
        }

        var offset = 0;
        if (head.Length >= 10 && head[..3].SequenceEqual("ID3"u8))
        {
            // The tag's size is four 7-bit bytes (ID3v2), after the 10-byte header.
            offset = 10 + ((head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F));
        }

        if (offset + 4 <= head.Length && head[offset] == 0xFF && (head[offset + 1] & 0xE0) == 0xE0)
        {
            return new AudioInfo("audio/mpeg", "mp3", Mp3Seconds(head.Slice(offset, 4), length - offset));
        }

        return offset > 0 ? new AudioInfo("audio/mpeg", "mp3", null) : null;
    }

    /// <summary>Why a body that is not audio was refused, with the start of what came instead (an HTML error page, mostly).</summary>
    public static string NotAudio(ReadOnlySpan<byte> head, string? contentType)
    {
        var text = Encoding.UTF8.GetString(head[..Math.Min(head.Length, 80)]).ReplaceLineEndings(" ").Trim();
        return $"not a recording (WAV or MP3 expected; Content-Type {contentType ?? "none"}, starts with \"{text}\")";
    }

    private static double? WavSeconds(ReadOnlySpan<byte> head, long length)
    {
        uint byteRate = 0;
        var at = 12;
        while (at + 8 <= head.Length)
        {
            var id = head.Slice(at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(at + 4, 4));
            if (id.SequenceEqual("fmt "u8) && at + 16 <= head.Length)
            {
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(at + 16, 4));
            }
            else if (id.SequenceEqual("data"u8))
            {
                // A recorder that never finished its header writes 0 or 0xFFFFFFFF: the rest of the file is the data.
                var data = size is 0 or uint.MaxValue || at + 8 + size > length ? length - at - 8 : size;
                return byteRate == 0 ? null : Math.Round((double)data / byteRate, 3);
            }

            at += 8 + (int)Math.Min(size + (size & 1), int.MaxValue - at);
        }

        return null;
    }

    /// <summary>From the first frame's bit rate: exact for constant bit rate, which is what PBXs record.</summary>
    private static double? Mp3Seconds(ReadOnlySpan<byte> frame, long audioBytes)
    {
        var version = (frame[1] >> 3) & 0x3;
        var layer = (frame[1] >> 1) & 0x3;
        if (layer != 1)
        {
            return null;
        }

        var kbps = (version == 3 ? Mpeg1Layer3Kbps : Mpeg2Layer3Kbps)[frame[2] >> 4];
        return kbps == 0 ? null : Math.Round(audioBytes * 8.0 / (kbps * 1000), 3);
    }
}
