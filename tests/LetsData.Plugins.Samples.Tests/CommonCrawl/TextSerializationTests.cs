using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.CommonCrawl;

namespace LetsData.Plugins.Samples.Tests.CommonCrawl;

/// <summary>
/// The WET text travels as UTF-8 from the payload to the index record's JSON (no string in between): it must come out
/// as the same text a decode to a string gives, escapes and invalid bytes included, and the UTF-8 form the worker writes
/// (IUtf8SerializableDocument) must be exactly the encoding of the Serialize() string.
/// </summary>
public class TextSerializationTests
{
    private const string Url = "https://example.org/page";

    [TestCase("plain ASCII text")]
    [TestCase("line one\nline two\r\n\ttabbed \"quoted\" back\\slash \u0001\u001f end")]
    [TestCase("non-ASCII: café, Ελληνικά, 日本語, emoji \U0001F600, <html> & 'apostrophe' \u2028")]
    [TestCase("")]
    public void IndexRecordJsonHoldsTheWetTextExactly(string text)
    {
        var conversion = ParseConversion(Encoding.UTF8.GetBytes(text));

        Assert.That(conversion.Text, Is.EqualTo(text));
        Assert.That(DocTextOf(conversion), Is.EqualTo(text));
    }

    [Test]
    public void InvalidUtf8IsReplacedAsADecodeToStringWould()
    {
        // A broken 2-byte sequence, a stray byte, a truncated 3-byte sequence before a quote, and one at the very end.
        byte[] payload = [.. "before "u8, 0xC3, 0x28, 0xFF, .. " after\n"u8, 0xE2, 0x82, (byte)'"', 0xF0, 0x9F, 0x98];
        var expected = Encoding.UTF8.GetString(payload);

        var conversion = ParseConversion(payload);

        Assert.That(conversion.Text, Is.EqualTo(expected));
        Assert.That(conversion.TextBytes, Is.EqualTo(payload.Length));
        Assert.That(DocTextOf(conversion), Is.EqualTo(expected));
        using var json = JsonDocument.Parse(conversion.Serialize());
        Assert.That(json.RootElement.GetProperty("text").GetString(), Is.EqualTo(expected));
        var written = Utf8Of(new IndexRecord(Url) { DocTextUtf8 = conversion.TextUtf8 });
        Assert.That(written.AsSpan().IndexOf((byte)0xFF), Is.EqualTo(-1), "no invalid byte reaches the output");
        Assert.That(written.AsSpan().IndexOf("\uFFFD"u8), Is.Not.Negative, "written as U+FFFD (EF BF BD)");
    }

    [Test]
    public void TheOutputIsNotKeptAliveAfterTheDocumentIsWritten()
    {
        // The writer is cached per thread between documents; the runtime's buffer (megabytes for a large page) must
        // not stay reachable through it.
        var output = WriteIntoAFreshBuffer(ParseConversion("some text"u8.ToArray()));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.That(output.IsAlive, Is.False);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WriteIntoAFreshBuffer(WetConversionRecord conversion)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.That(new IndexRecord(Url) { DocTextUtf8 = conversion.TextUtf8 }.TrySerializeUtf8(output), Is.True);
        return new WeakReference(output);
    }

    [Test]
    public void LongTextWithManyEscapesRoundTrips()
    {
        var text = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i} \"q\" \\ \u0002 é\n"));

        Assert.That(DocTextOf(ParseConversion(Encoding.UTF8.GetBytes(text))), Is.EqualTo(text));
    }

    private static string? DocTextOf(WetConversionRecord conversion)
    {
        var index = new IndexRecord(Url) { DocTextUtf8 = conversion.TextUtf8, DocTextContentLength = conversion.TextBytes };
        Assert.That(Utf8Of(index), Is.EqualTo(Encoding.UTF8.GetBytes(index.Serialize()!)), "the index record's UTF-8 form is its string, encoded");
        Assert.That(Utf8Of(conversion), Is.EqualTo(Encoding.UTF8.GetBytes(conversion.Serialize())), "so is the conversion record's");
        using var json = JsonDocument.Parse(index.Serialize()!);
        Assert.That(json.RootElement.GetProperty("docTextContentLength").GetInt64(), Is.EqualTo(conversion.TextBytes));
        return json.RootElement.GetProperty("docText").GetString();
    }

    private static byte[] Utf8Of(IUtf8SerializableDocument document)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.That(document.TrySerializeUtf8(output), Is.True);
        return output.WrittenSpan.ToArray();
    }

    private static WetConversionRecord ParseConversion(byte[] payload)
    {
        var header = Encoding.UTF8.GetBytes(
            "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: " + Url + "\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
            + "Content-Type: text/plain\r\nContent-Length: " + payload.Length + "\r\n\r\n");
        byte[] record = [.. header, .. payload, .. "\r\n\r\n"u8];
        var result = new WetFileParser().ParseDocument(WetFileParser.FileType, "f.wet", 0, CommonCrawlRecordTypes.WetInfo, null, record);
        Assert.That(result.Status, Is.EqualTo(ParseDocumentResultStatus.Success));
        return (WetConversionRecord)result.Document!;
    }
}
