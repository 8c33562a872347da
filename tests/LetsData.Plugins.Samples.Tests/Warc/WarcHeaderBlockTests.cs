using System.Text;
using LetsData.Plugins.Samples.Warc;

namespace LetsData.Plugins.Samples.Tests.Warc;

public class WarcHeaderBlockTests
{
    private static readonly byte[] Record = Encoding.UTF8.GetBytes(
        "WARC/1.0\r\n" +
        "WARC-Type: conversion\r\n" +
        "warc-target-uri:   https://example.org/a  \r\n" +
        "Content-Length:\t5\r\n" +
        "Content-Length: 99\r\n" +
        " folded continuation: line\r\n" +
        "No-Value:\r\n" +
        "\r\n" +
        "hello\r\n\r\n");

    [Test]
    public void FindsFieldsIgnoringCaseAndTrimsValues()
    {
        Assert.That(WarcHeaderBlock.TryRead(Record, out var header), Is.True);

        Assert.That(header.TryGetValue("WARC-Target-URI", out var uri), Is.True);
        Assert.That(Encoding.UTF8.GetString(uri), Is.EqualTo("https://example.org/a"));
        Assert.That(header.TryGetValue("warc-type", out var type), Is.True);
        Assert.That(Encoding.UTF8.GetString(type), Is.EqualTo("conversion"));
    }

    [Test]
    public void FirstOccurrenceOfAFieldWins()
    {
        WarcHeaderBlock.TryRead(Record, out var header);

        header.TryGetValue(WarcFieldNames.ContentLength, out var length);
        Assert.That(Encoding.UTF8.GetString(length), Is.EqualTo("5"));
    }

    [Test]
    public void PresentFieldWithEmptyValueIsFoundAndAbsentFieldIsNot()
    {
        WarcHeaderBlock.TryRead(Record, out var header);

        Assert.That(header.TryGetValue("No-Value", out var empty), Is.True);
        Assert.That(empty.IsEmpty, Is.True);
        Assert.That(header.TryGetValue("WARC-Record-ID", out _), Is.False);
    }

    [Test]
    public void EnumeratesNamedFieldsOnlySkippingVersionAndContinuationLines()
    {
        WarcHeaderBlock.TryRead(Record, out var header);

        var names = new List<string>();
        foreach (var field in header)
        {
            names.Add(Encoding.UTF8.GetString(field.Name));
        }

        Assert.That(names, Is.EqualTo(new[] { "WARC-Type", "warc-target-uri", "Content-Length", "Content-Length", "No-Value" }));
    }

    [Test]
    public void PayloadStartsRightAfterTheBlankLine()
    {
        WarcHeaderBlock.TryRead(Record, out var header);

        Assert.That(Encoding.UTF8.GetString(Record.AsSpan(header.PayloadStart, 5)), Is.EqualTo("hello"));
        Assert.That(Encoding.UTF8.GetString(header.Lines).EndsWith("No-Value:", StringComparison.Ordinal), Is.True);
    }

    [Test]
    public void NoBlankLineMeansNoHeaderBlock()
    {
        var truncated = Encoding.UTF8.GetBytes("WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 5\r\n");

        Assert.That(WarcHeaderBlock.TryRead(truncated, out _), Is.False);
        Assert.That(WarcHeaderBlock.TryRead([], out _), Is.False);
    }

    [TestCase("0", 0L)]
    [TestCase("4456", 4456L)]
    [TestCase("9223372036854775807", long.MaxValue)]
    public void ParsesLengths(string text, long expected)
    {
        Assert.That(WarcFieldValue.TryParseLength(Encoding.ASCII.GetBytes(text), out var length), Is.True);
        Assert.That(length, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("12abc")]
    [TestCase("-1")]
    [TestCase("+1")]
    [TestCase("1 2")]
    [TestCase("1.5")]
    [TestCase("9223372036854775808")]
    public void RejectsWhatIsNotANonNegativeDecimalLength(string text)
    {
        Assert.That(WarcFieldValue.TryParseLength(Encoding.ASCII.GetBytes(text), out _), Is.False);
    }

    [TestCase("http://example.com/", "http://example.com/")]
    [TestCase("<http://example.com/>", "http://example.com/")]
    [TestCase("<>", "")]
    [TestCase("<http://example.com/", "<http://example.com/")]
    [TestCase("https://ja.example/日本", "https://ja.example/日本")]
    public void TargetUriLosesOnlyEnclosingAngleBrackets(string value, string expected)
    {
        Assert.That(WarcFieldValue.ToUri(Encoding.UTF8.GetBytes(value)), Is.EqualTo(expected));
    }

    [Test]
    public void QuoteCutsLongValues()
    {
        var quoted = WarcFieldValue.Quote(Encoding.ASCII.GetBytes(new string('7', 1000)));

        Assert.That(quoted, Is.EqualTo(new string('7', 64) + "..."));
    }
}
