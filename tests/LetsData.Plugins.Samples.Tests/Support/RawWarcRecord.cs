using System.Text;

namespace LetsData.Plugins.Samples.Tests.Support;

/// <summary>One record found by <see cref="RawWarcWalker"/>.</summary>
internal sealed record RawWarcRecord(int Offset, IReadOnlyDictionary<string, string> Headers, byte[] Payload)
{
    public string Type => Headers["WARC-Type"];

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string PayloadText => Encoding.UTF8.GetString(Payload);
}
