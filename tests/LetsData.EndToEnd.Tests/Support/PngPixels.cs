using System.Buffers.Binary;
using System.IO.Compression;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>
/// The pixels of an 8-bit RGB or RGBA PNG (what chromium's screenshots are), decoded here so that a test can look at
/// what was drawn: the chunks, the zlib stream of the IDAT chunks, and the five scanline filters of the PNG standard.
/// </summary>
internal sealed class PngPixels
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly byte[] _rows;
    private readonly int _channels;

    private PngPixels(int width, int height, int channels, byte[] rows)
    {
        Width = width;
        Height = height;
        _channels = channels;
        _rows = rows;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The red, green and blue of the pixel at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public (byte R, byte G, byte B) At(int x, int y)
    {
        var at = y * Width * _channels + x * _channels;
        return (_rows[at], _rows[at + 1], _rows[at + 2]);
    }

    /// <summary>How many pixels have exactly this colour.</summary>
    public int Count((byte R, byte G, byte B) colour)
    {
        var count = 0;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                count += At(x, y) == colour ? 1 : 0;
            }
        }

        return count;
    }

    public static PngPixels Read(string path)
    {
        var file = File.ReadAllBytes(path);
        if (!file.AsSpan(0, 8).SequenceEqual(Signature))
        {
            throw new InvalidDataException($"{path}: not a PNG file");
        }

        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (var at = 8; at < file.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                (var depth, var colourType, var interlace) = (data[8], data[9], data[12]);
                channels = colourType switch { 2 => 3, 6 => 4, _ => 0 };
                if (depth != 8 || channels == 0 || interlace != 0)
                {
                    throw new InvalidDataException($"{path}: only 8-bit RGB/RGBA PNGs without interlacing are read here");
                }
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }

            at += 12 + length;
        }

        compressed.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        return new PngPixels(width, height, channels, Unfilter(inflated.ToArray(), width, height, channels));
    }

    // Each scanline is a filter byte and the filtered row; a filter predicts a byte from its left, upper and upper-left ones.
    private static byte[] Unfilter(byte[] data, int width, int height, int channels)
    {
        var stride = width * channels;
        var rows = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = data[y * (stride + 1)];
            var source = data.AsSpan(y * (stride + 1) + 1, stride);
            var row = rows.AsSpan(y * stride, stride);
            var above = y == 0 ? new byte[stride] : rows.AsSpan((y - 1) * stride, stride);
            for (var i = 0; i < stride; i++)
            {
                int left = i >= channels ? row[i - channels] : 0, up = above[i], upLeft = i >= channels ? above[i - channels] : 0;
                var predicted = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"PNG scanline {y}: unknown filter {filter}"),
                };
                row[i] = (byte)(source[i] + predicted);
            }
        }

        return rows;
    }

    private static int Paeth(int left, int up, int upLeft)
    {
        var estimate = left + up - upLeft;
        var (toLeft, toUp, toUpLeft) = (Math.Abs(estimate - left), Math.Abs(estimate - up), Math.Abs(estimate - upLeft));
        return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }
}
