using System.Text;
using LetsData.Interfaces.Readers;

namespace LetsData.Interfaces.Tests.Readers;

[TestFixture]
public class RecordParseHintTests
{
    [Test]
    public void ForPattern_ExposesPatternAndItsUtf8Bytes()
    {
        var hint = RecordParseHint.ForPattern("Grüße");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hint.HintType, Is.EqualTo(RecordHintType.Pattern));
            Assert.That(hint.Pattern, Is.EqualTo("Grüße"));
            Assert.That(hint.PatternUtf8.ToArray(), Is.EqualTo(Encoding.UTF8.GetBytes("Grüße")));
            Assert.That(hint.PatternUtf8.Length, Is.EqualTo(7)); // ü and ß take two bytes each
        }
    }

    [Test]
    public void ForOffset_ExposesOffset()
    {
        var hint = RecordParseHint.ForOffset(12);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hint.HintType, Is.EqualTo(RecordHintType.Offset));
            Assert.That(hint.Offset, Is.EqualTo(12));
        }
    }

    [Test]
    public void Constructor_JavaStylePatternHintWithMinusOneOffset_IsAccepted()
    {
        var hint = new RecordParseHint(RecordHintType.Pattern, "WARC/1.0", -1);

        Assert.That(hint.Pattern, Is.EqualTo("WARC/1.0"));
    }

    [Test]
    public void Constructor_ZeroOffset_IsAccepted()
    {
        Assert.That(RecordParseHint.ForOffset(0).Offset, Is.Zero);
    }

    [TestCase(null)]
    [TestCase("")]
    public void Constructor_PatternHintWithoutPattern_Throws(string? pattern)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new RecordParseHint(RecordHintType.Pattern, pattern, -1), Throws.ArgumentException);
            Assert.That(() => RecordParseHint.ForPattern(pattern!), Throws.ArgumentException);
        }
    }

    [TestCase(-1)]
    [TestCase(int.MinValue)]
    public void Constructor_NegativeOffset_Throws(int offset)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new RecordParseHint(RecordHintType.Offset, null, offset), Throws.ArgumentException);
            Assert.That(() => RecordParseHint.ForOffset(offset), Throws.ArgumentException);
        }
    }

    [Test]
    public void Constructor_UndefinedHintType_Throws()
    {
        Assert.That(() => new RecordParseHint((RecordHintType)42, "x", 1), Throws.ArgumentException);
    }

    [Test]
    public void PatternHint_OffsetGetter_Throws()
    {
        var hint = RecordParseHint.ForPattern("x");

        Assert.That(() => hint.Offset, Throws.InvalidOperationException);
    }

    [Test]
    public void OffsetHint_PatternGetters_Throw_EvenWhenAPatternWasPassed()
    {
        var hint = new RecordParseHint(RecordHintType.Offset, "ignored", 3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => hint.Pattern, Throws.InvalidOperationException);
            Assert.That(() => hint.PatternUtf8, Throws.InvalidOperationException);
            Assert.That(hint.Offset, Is.EqualTo(3));
        }
    }

    [Test]
    public void ToString_ShowsKindAndEscapedValue()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RecordParseHint.ForPattern("WARC/1.0").ToString(), Is.EqualTo("Pattern(\"WARC/1.0\")"));
            Assert.That(RecordParseHint.ForPattern("WARC/1.0\r\nWARC-Type: \"x\"\t\\").ToString(),
                Is.EqualTo("Pattern(\"WARC/1.0\\r\\nWARC-Type: \\\"x\\\"\\t\\\\\")"));
            Assert.That(RecordParseHint.ForOffset(12).ToString(), Is.EqualTo("Offset(12)"));
        }
    }

    [Test]
    public void Equality_IsByValue()
    {
        var first = RecordParseHint.ForPattern("a");
        var second = new RecordParseHint(RecordHintType.Pattern, "a", -1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.Not.SameAs(second));
            Assert.That(first, Is.EqualTo(second));
            Assert.That(first.GetHashCode(), Is.EqualTo(second.GetHashCode()));
            Assert.That(RecordParseHint.ForPattern("a"), Is.Not.EqualTo(RecordParseHint.ForPattern("A")));
            Assert.That(RecordParseHint.ForOffset(4), Is.EqualTo(new RecordParseHint(RecordHintType.Offset, "ignored", 4)));
            Assert.That(RecordParseHint.ForOffset(4), Is.Not.EqualTo(RecordParseHint.ForOffset(5)));
            Assert.That(RecordParseHint.ForOffset(0), Is.Not.EqualTo(RecordParseHint.ForPattern("0")));
        }
    }
}
