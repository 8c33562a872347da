using System.IO.Compression;
using System.Text;

namespace LetsData.Runtime.Tests.TestSupport;

/// <summary>Test inputs: data files copied next to the test binaries, UTF-8 text, gzip members, and a plain search.</summary>
internal static class TestData
{
    public static string PathOf(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>
    /// <paramref name="size"/> letters from a 12-letter alphabet, the same for the same <paramref name="seed"/>:
    /// compressible like text, but not trivially so.
    /// </summary>
    public static byte[] Letters(int size, int seed)
    {
        var random = new Random(seed);
        var part = new byte[size];
        for (var i = 0; i < size; i++)
        {
            part[i] = (byte)('a' + random.Next(12));
        }

        return part;
    }

    /// <summary>One gzip member per part, concatenated (the Common Crawl layout).</summary>
    public static byte[] GzipMembers(IEnumerable<byte[]> parts)
    {
        var output = new MemoryStream();
        foreach (var part in parts)
        {
            using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
            gzip.Write(part);
        }

        return output.ToArray();
    }

    /// <summary>Decompresses a whole (multi-member) gzip file with System.IO.Compression.</summary>
    public static byte[] Gunzip(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>
    /// Reads <paramref name="stream"/> to its end or its first <see cref="InvalidDataException"/> (a broken compressed
    /// file), in reads of <paramref name="readBytes"/>: the bytes decoded before the failure, and the failure.
    /// </summary>
    public static byte[] ReadUntilFailure(Stream stream, int readBytes, out InvalidDataException? failure)
    {
        var output = new MemoryStream();
        var buffer = new byte[readBytes];
        failure = null;
        try
        {
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException e)
        {
            failure = e;
        }

        return output.ToArray();
    }

    /// <summary>Every index of <paramref name="pattern"/> in <paramref name="data"/>, searching on after each match.</summary>
    public static List<int> IndexesOf(ReadOnlySpan<byte> data, ReadOnlySpan<byte> pattern)
    {
        var found = new List<int>();
        var from = 0;
        while (from <= data.Length)
        {
            var index = data[from..].IndexOf(pattern);
            if (index < 0)
            {
                break;
            }

            found.Add(from + index);
            from += index + 1;
        }

        return found;
    }
}

/// <summary>A stream that hands out at most <c>chunk</c> bytes per read, so reads split patterns wherever the test wants.</summary>
internal sealed class TrickleStream(byte[] data, int chunk) : Stream
{
    private int _position;

    public int Reads { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => data.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Reads++;
        var n = Math.Min(Math.Min(buffer.Length, chunk), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
