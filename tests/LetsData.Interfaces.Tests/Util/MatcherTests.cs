using System.Text;
using LetsData.Interfaces.Readers;
using LetsData.Interfaces.Util;

namespace LetsData.Interfaces.Tests.Util;

[TestFixture]
public class MatcherTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [TestCase("abcWARC/1.0def", "WARC/1.0", 3)]
    [TestCase("WARC/1.0", "WARC/1.0", 0)]
    [TestCase("xxWARC/1.0WARC/1.0", "WARC/1.0", 2)]
    [TestCase("abcdef", "xyz", -1)]
    [TestCase("abcdef", "ef", 4)]
    [TestCase("abcdeF", "ef", -1)]
    [TestCase("a\r\n\r\nb", "\r\n\r\n", 1)]
    [TestCase("abc", "", 0)]
    [TestCase("", "", 0)]
    public void Match_String_ReturnsFirstIndexOrMinusOne(string buffer, string pattern, int expected)
    {
        Assert.That(Matcher.Match(Utf8(buffer), pattern), Is.EqualTo(expected));
    }

    [Test]
    public void Match_NonAsciiPattern_SearchesItsUtf8Bytes()
    {
        var buffer = Utf8("Hallo, Grüße aus 日本!");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Matcher.Match(buffer, "Grüße"), Is.EqualTo(7));
            // A byte index, not a char index: ü and ß take two bytes each.
            Assert.That(Matcher.Match(buffer, "日本"), Is.EqualTo(Utf8("Hallo, Grüße aus ").Length));
            Assert.That(Matcher.Match(buffer, "日本"), Is.Not.EqualTo("Hallo, Grüße aus ".Length));
            Assert.That(Matcher.Match(buffer, "Grüsse"), Is.EqualTo(-1));
        }
    }

    [Test]
    public void Match_PatternAtTheVeryEnd_IsFound()
    {
        var buffer = Utf8("0123456789END");

        Assert.That(Matcher.Match(buffer, "END"), Is.EqualTo(10));
    }

    [Test]
    public void Match_PartialPatternAtTheEnd_IsNotFound()
    {
        Assert.That(Matcher.Match(Utf8("0123456789EN"), "END"), Is.EqualTo(-1));
    }

    [Test]
    public void Match_PatternLongerThanBuffer_IsNotFound()
    {
        Assert.That(Matcher.Match(Utf8("WARC"), "WARC/1.0"), Is.EqualTo(-1));
    }

    [Test]
    public void Match_EmptyBuffer_IsNotFound()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Matcher.Match(ReadOnlySpan<byte>.Empty, "x"), Is.EqualTo(-1));
            Assert.That(Matcher.Match(ReadOnlySpan<byte>.Empty, RecordParseHint.ForPattern("x")), Is.EqualTo(-1));
        }
    }

    [Test]
    public void Match_IndexIsRelativeToTheSlice()
    {
        var buffer = Utf8("ab|cd|ef");

        Assert.That(Matcher.Match(buffer.AsSpan(3), "|"), Is.EqualTo(2));
    }

    [Test]
    public void Match_NullPattern_Throws()
    {
        Assert.That(() => Matcher.Match(Utf8("x"), (string)null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Match_ManyDistinctPatterns_StayCorrectBeyondTheCache()
    {
        var buffer = Utf8("prefix-needle-1999-suffix");

        var results = Enumerable.Range(0, 2000).Select(i => Matcher.Match(buffer, $"needle-{i}-")).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results[1999], Is.EqualTo(7));
            Assert.That(results.Take(1999), Has.All.EqualTo(-1));
            // An uncached long non-ASCII pattern (beyond the stackalloc size) must still be found.
            var longPattern = string.Concat(Enumerable.Repeat("日本", 100)) + "-unique-long";
            var longBuffer = Utf8("..." + longPattern + "...");
            Assert.That(Matcher.Match(longBuffer, longPattern), Is.EqualTo(3));
        }
    }

    [Test]
    public void Match_ConcurrentCallers_GetCorrectResults()
    {
        var buffer = Utf8("alpha beta gamma delta");
        var patterns = new[] { "alpha", "beta", "gamma", "delta", "epsilon" };
        var expected = new[] { 0, 6, 11, 17, -1 };

        var failures = 0;
        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var k = i % patterns.Length;
            // A fresh string instance half the time: the cache must work by content, not by reference.
            var pattern = i % 2 == 0 ? patterns[k] : new string(patterns[k].AsSpan());
            if (Matcher.Match(buffer, pattern) != expected[k])
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.That(failures, Is.Zero);
    }

    [Test]
    public void Match_PatternHint_UsesTheHintsBytes()
    {
        var buffer = Utf8("head Grüße tail");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Matcher.Match(buffer, RecordParseHint.ForPattern("Grüße")), Is.EqualTo(5));
            Assert.That(Matcher.Match(buffer, RecordParseHint.ForPattern("tail")), Is.EqualTo(Utf8("head Grüße ").Length));
            Assert.That(Matcher.Match(buffer, RecordParseHint.ForPattern("nope")), Is.EqualTo(-1));
        }
    }

    [TestCase(0, 0, 0)]
    [TestCase(0, 5, 0)]
    [TestCase(5, 5, 5)]   // exactly enough bytes: the fixed-size record fits
    [TestCase(5, 4, -1)]  // one byte short
    [TestCase(5, 100, 5)]
    [TestCase(1, 0, -1)]
    public void Match_OffsetHint_ReturnsOffsetOnlyWhenTheBufferHoldsIt(int offset, int bufferLength, int expected)
    {
        // The Java Matcher returns -1 exactly when the offset fits; the port fixes that inversion.
        Assert.That(Matcher.Match(new byte[bufferLength], RecordParseHint.ForOffset(offset)), Is.EqualTo(expected));
    }

    [Test]
    public void Match_NullHint_Throws()
    {
        Assert.That(() => Matcher.Match(Utf8("x"), (RecordParseHint)null!), Throws.ArgumentNullException);
    }

    [TestCase("Content-Type: text/html\r\n", ":", "Content-Type", "text/html")]
    [TestCase("  \tkey\t =  value with  spaces \t\r\n", "=", "key", "value with  spaces")]
    [TestCase("WARC-Target-URI: http://example.com:8080/a", ":", "WARC-Target-URI", "http://example.com:8080/a")]
    [TestCase("key:", ":", "key", "")]
    [TestCase(": value", ":", "", "value")]
    [TestCase("a => b => c", "=>", "a", "b => c")]
    [TestCase("Titel: Grüße aus 日本", ":", "Titel", "Grüße aus 日本")]
    [TestCase("schlüssel→wert", "→", "schlüssel", "wert")]
    public void TryGetKeyValueFromLine_SplitsAtTheFirstSeparatorAndTrims(
        string line, string separator, string expectedKey, string expectedValue)
    {
        var found = Matcher.TryGetKeyValueFromLine(Utf8(line), separator, out var key, out var value);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Is.True);
            Assert.That(key, Is.EqualTo(expectedKey));
            Assert.That(value, Is.EqualTo(expectedValue));
        }
    }

    [TestCase("no separator here\r\n")]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("\r\n")]
    [TestCase(" \t\r\n \t")]
    public void TryGetKeyValueFromLine_BlankOrSeparatorlessLine_ReturnsFalse(string line)
    {
        var found = Matcher.TryGetKeyValueFromLine(Utf8(line), ":", out var key, out var value);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Is.False);
            Assert.That(key, Is.Null);
            Assert.That(value, Is.Null);
        }
    }

    [Test]
    public void TryGetKeyValueFromLine_SeparatorIsSearchedBeforeTrimming()
    {
        // ": " only occurs in the untrimmed line; trimming first would lose it.
        var found = Matcher.TryGetKeyValueFromLine(Utf8("WARC-Warcinfo-ID: \r\n"), ": ", out var key, out var value);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Is.True);
            Assert.That(key, Is.EqualTo("WARC-Warcinfo-ID"));
            Assert.That(value, Is.Empty);
        }
    }

    [TestCase(null)]
    [TestCase("")]
    public void TryGetKeyValueFromLine_MissingSeparator_Throws(string? separator)
    {
        Assert.That(() => Matcher.TryGetKeyValueFromLine(Utf8("a:b"), separator!, out _, out _), Throws.InstanceOf<ArgumentException>());
    }

    [TestCase("", 0)]
    [TestCase("abc", 0)]
    [TestCase(" abc", 1)]
    [TestCase("\r\n\t abc \r\n", 4)]
    [TestCase("\r\n\r\n", 4)]
    [TestCase("\v\fabc", 0)]  // only \r \n \t and space count
    [TestCase("  \u00A0x", 2)] // a non-breaking space (UTF-8 C2 A0) is not whitespace here
    public void ConsumeWhitespace_CountsLeadingCrLfTabSpace(string text, int expected)
    {
        Assert.That(Matcher.ConsumeWhitespace(Utf8(text)), Is.EqualTo(expected));
    }
}
