using System.IO.Compression;
using System.Text;

namespace LetsData.Integration.Tests.Chains;

/// <summary>A WET file of <c>count</c> conversion records (one gzip member each, as Common Crawl writes them).</summary>
internal static class SyntheticWet
{
    public static string UrlOf(int i) => $"http://example.org/page/{i}";

    public static byte[] Gzip(int count)
    {
        using var output = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            var text = $"Page {i}: ünïcode text with \"quotes\" and a number {i * 7}.\n";
            var payload = Encoding.UTF8.GetBytes(text);
            var header = $"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: {UrlOf(i)}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
                + $"WARC-Record-ID: <urn:uuid:{Guid.NewGuid()}>\r\nContent-Type: text/plain\r\nContent-Length: {payload.Length}\r\n\r\n";
            using var member = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
            member.Write(Encoding.UTF8.GetBytes(header));
            member.Write(payload);
            member.Write("\r\n\r\n"u8);
        }

        return output.ToArray();
    }
}
