using System.Buffers.Binary;
using System.Text;

namespace PbxHub.Providers.Evrotel;

/// <summary>The format of a RIFF/WAVE file, read from its <c>fmt </c> chunk.</summary>
internal sealed record WavFormat(int AudioFormat, int Channels, int SampleRate, int BitsPerSample)
{
    public const int Pcm = 1;

    /// <summary>Reads the header; null with the reason when the bytes are not a WAV file this can read.</summary>
    public static (WavFormat? Format, string? Error) Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes[8..12].SequenceEqual("WAVE"u8))
        {
            return (null, "not a WAV file (no RIFF/WAVE header)");
        }

        WavFormat? format = null;
        var hasData = false;
        var position = 12;
        while (position + 8 <= bytes.Length)
        {
            var id = bytes.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(position + 4, 4));
            var body = position + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > bytes.Length)
                {
                    return (null, "not a WAV file (its fmt chunk is cut short)");
                }

                format = new WavFormat(
                    BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(body, 2)),
                    BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(body + 2, 2)),
                    (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(body + 4, 4)),
                    BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(body + 14, 2)));
            }
            else if (id.SequenceEqual("data"u8))
            {
                hasData = true;
                break;
            }

            // Chunks are padded to an even length.
            position = (int)Math.Min(int.MaxValue, body + (long)size + (size % 2));
        }

        return format is null ? (null, "not a WAV file (no fmt chunk)")
            : !hasData ? (null, "not a WAV file (no data chunk)")
            : (format, null);
    }

    /// <summary>What keeps the file from being mono, 16-bit PCM, 8000 Hz (Evrotel's autodial requirement); empty when nothing.</summary>
    public IReadOnlyList<string> ProblemsForTelephony()
    {
        var problems = new List<string>();
        if (AudioFormat != Pcm)
        {
            problems.Add($"not PCM (format code {AudioFormat})");
        }

        if (Channels != 1)
        {
            problems.Add(Channels == 2 ? "stereo (2 channels)" : $"{Channels} channels");
        }

        if (BitsPerSample != 16)
        {
            problems.Add($"{BitsPerSample}-bit");
        }

        if (SampleRate != 8000)
        {
            problems.Add($"{SampleRate} Hz");
        }

        return problems;
    }

    /// <summary>A WAV of silence in the given format (for tests, demos and the emulators).</summary>
    public static byte[] Silence(int channels, int sampleRate, int bitsPerSample, TimeSpan length)
    {
        var blockAlign = channels * bitsPerSample / 8;
        var dataSize = (int)(sampleRate * length.TotalSeconds) * blockAlign;
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true))
        {
            w.Write("RIFF"u8);
            w.Write(36 + dataSize);
            w.Write("WAVEfmt "u8);
            w.Write(16);
            w.Write((short)Pcm);
            w.Write((short)channels);
            w.Write(sampleRate);
            w.Write(sampleRate * blockAlign);
            w.Write((short)blockAlign);
            w.Write((short)bitsPerSample);
            w.Write("data"u8);
            w.Write(dataSize);
            w.Write(new byte[dataSize]);
        }

        return stream.ToArray();
    }
}
