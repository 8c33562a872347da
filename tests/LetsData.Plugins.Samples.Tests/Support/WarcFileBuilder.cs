using System.Text;

namespace LetsData.Plugins.Samples.Tests.Support;

/// <summary>Writes small hand-made WARC files; remembers where each piece starts.</summary>
internal sealed class WarcFileBuilder
{
    private readonly MemoryStream _bytes = new();
    private readonly List<int> _offsets = [];

    /// <summary>Byte offsets of the pieces appended, in order.</summary>
    public IReadOnlyList<int> Offsets => _offsets;

    /// <summary>A well-formed record: version line, WARC-Type, the given fields, Content-Length of the UTF-8 payload.</summary>
    public WarcFileBuilder Record(string type, string payload, params string[] fields)
    {
        var payloadBytes = Encoding.UTF8.GetBytes(payload);
        var header = new StringBuilder("WARC/1.0\r\n").Append("WARC-Type: ").Append(type).Append("\r\n");
        foreach (var field in fields)
        {
            header.Append(field).Append("\r\n");
        }
        header.Append("Content-Length: ").Append(payloadBytes.Length).Append("\r\n\r\n");
        return Raw(header + payload + "\r\n\r\n");
    }

    /// <summary>Any text, as UTF-8, for malformed records.</summary>
    public WarcFileBuilder Raw(string text)
    {
        _offsets.Add((int)_bytes.Length);
        _bytes.Write(Encoding.UTF8.GetBytes(text));
        return this;
    }

    /// <summary>Any bytes, for invalid UTF-8.</summary>
    public WarcFileBuilder RawBytes(byte[] bytes)
    {
        _offsets.Add((int)_bytes.Length);
        _bytes.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
