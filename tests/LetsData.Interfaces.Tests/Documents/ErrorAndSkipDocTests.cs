using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Tests.Documents;

[TestFixture]
public class ErrorAndSkipDocTests
{
    private static Dictionary<string, string> Start() => new() { ["WARC"] = "100" };

    private static Dictionary<string, string> End() => new() { ["WARC"] = "250" };

    private static Dictionary<string, object?> Metadata() => new() { ["stage"] = "parse", ["attempt"] = 1 };

    [Test]
    public void ErrorDoc_KeepsArgumentsInJavaOrder()
    {
        var start = Start();
        var end = End();
        var metadata = Metadata();

        var doc = new ErrorDoc(start, end, "bad record", "id-1", "response", metadata, "{\"e\":1}", "pk-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc.ErrorStartOffsetMap, Is.SameAs(start));
            Assert.That(doc.ErrorEndOffsetMap, Is.SameAs(end));
            Assert.That(doc.ErrorMessage, Is.EqualTo("bad record"));
            Assert.That(doc.DocumentId, Is.EqualTo("id-1"));
            Assert.That(doc.RecordType, Is.EqualTo("response"));
            Assert.That(doc.DocumentMetadata, Is.SameAs(metadata));
            Assert.That(doc.Serialize(), Is.EqualTo("{\"e\":1}"));
            Assert.That(doc.PartitionKey, Is.EqualTo("pk-1"));
            Assert.That(doc.DocumentType, Is.EqualTo(DocumentType.ErrorDoc));
            Assert.That(doc.IsSingleDoc, Is.True);
            Assert.That(doc, Is.InstanceOf<IErrorDoc>());
        }
    }

    [Test]
    public void SkipDoc_KeepsArgumentsInJavaOrder()
    {
        var start = Start();
        var end = End();
        var metadata = Metadata();

        var doc = new SkipDoc(start, end, "not of interest", "id-1", "request", metadata, "skipped", "pk-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc.ErrorStartOffsetMap, Is.SameAs(start));
            Assert.That(doc.ErrorEndOffsetMap, Is.SameAs(end));
            Assert.That(doc.SkipMessage, Is.EqualTo("not of interest"));
            Assert.That(doc.DocumentId, Is.EqualTo("id-1"));
            Assert.That(doc.RecordType, Is.EqualTo("request"));
            Assert.That(doc.DocumentMetadata, Is.SameAs(metadata));
            Assert.That(doc.Serialize(), Is.EqualTo("skipped"));
            Assert.That(doc.PartitionKey, Is.EqualTo("pk-1"));
            Assert.That(doc.DocumentType, Is.EqualTo(DocumentType.SkipDoc));
            Assert.That(doc.IsSingleDoc, Is.True);
            Assert.That(doc, Is.InstanceOf<ISkipDoc>());
        }
    }

    [Test]
    public void Defaults_AreNull_AndSerializeReturnsNull()
    {
        var error = new ErrorDoc(null, null, null);
        var skip = new SkipDoc(null, null, null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Serialize(), Is.Null);
            Assert.That(error.DocumentId, Is.Null);
            Assert.That(error.RecordType, Is.Null);
            Assert.That(error.PartitionKey, Is.Null);
            Assert.That(error.DocumentMetadata, Is.Null);
            Assert.That(error.ErrorStartOffsetMap, Is.Null);
            Assert.That(error.ErrorEndOffsetMap, Is.Null);
            Assert.That(error.ErrorMessage, Is.Null);
            Assert.That(skip.Serialize(), Is.Null);
            Assert.That(skip.DocumentId, Is.Null);
            Assert.That(skip.RecordType, Is.Null);
            Assert.That(skip.PartitionKey, Is.Null);
            Assert.That(skip.DocumentMetadata, Is.Null);
            Assert.That(skip.ErrorStartOffsetMap, Is.Null);
            Assert.That(skip.ErrorEndOffsetMap, Is.Null);
            Assert.That(skip.SkipMessage, Is.Null);
        }
    }

    [Test]
    public void ErrorDoc_EqualContentInDifferentDictionaries_IsEqual()
    {
        var a = new ErrorDoc(Start(), End(), "m", "id", "t", Metadata(), "s", "pk");
        var b = new ErrorDoc(Start(), End(), "m", "id", "t", Metadata(), "s", "pk");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.Equals(b), Is.True);
            Assert.That(a.Equals((object)b), Is.True);
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
        }
    }

    [Test]
    public void SkipDoc_EqualContentInDifferentDictionaries_IsEqual()
    {
        var a = new SkipDoc(Start(), End(), "m", "id", "t", Metadata(), "s", "pk");
        var b = new SkipDoc(Start(), End(), "m", "id", "t", Metadata(), "s", "pk");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.Equals(b), Is.True);
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
        }
    }

    private static IEnumerable<TestCaseData> ErrorDocVariants()
    {
        yield return new TestCaseData(new ErrorDoc(new Dictionary<string, string> { ["WARC"] = "101" }, End(), "m", "id", "t", Metadata(), "s", "pk")).SetArgDisplayNames("start offset");
        yield return new TestCaseData(new ErrorDoc(Start(), new Dictionary<string, string> { ["WAT"] = "250" }, "m", "id", "t", Metadata(), "s", "pk")).SetArgDisplayNames("end key");
        yield return new TestCaseData(new ErrorDoc(Start(), End(), "other", "id", "t", Metadata(), "s", "pk")).SetArgDisplayNames("message");
        yield return new TestCaseData(new ErrorDoc(Start(), End(), "m", "id2", "t", Metadata(), "s", "pk")).SetArgDisplayNames("id");
        yield return new TestCaseData(new ErrorDoc(Start(), End(), "m", "id", "t2", Metadata(), "s", "pk")).SetArgDisplayNames("record type");
        yield return new TestCaseData(new ErrorDoc(Start(), End(), "m", "id", "t", new Dictionary<string, object?> { ["stage"] = "parse", ["attempt"] = 2 }, "s", "pk")).SetArgDisplayNames("metadata");
        yield return new TestCaseData(new ErrorDoc(Start(), End(), "m", "id", "t", null, "s", "pk")).SetArgDisplayNames("null metadata");
        yield return new TestCaseData(new ErrorDoc(Start(), End(), "m", "id", "t", Metadata(), "s2", "pk")).SetArgDisplayNames("serialized");
        yield return new TestCaseData(new ErrorDoc(Start(), End(), "m", "id", "t", Metadata(), "s", "pk2")).SetArgDisplayNames("partition key");
        yield return new TestCaseData(new DerivedErrorDoc(Start(), End(), "m", "id", "t", Metadata(), "s", "pk")).SetArgDisplayNames("derived type");
    }

    [TestCaseSource(nameof(ErrorDocVariants))]
    public void ErrorDoc_AnyDifferentField_IsNotEqual(ErrorDoc other)
    {
        var reference = new ErrorDoc(Start(), End(), "m", "id", "t", Metadata(), "s", "pk");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reference.Equals(other), Is.False);
            Assert.That(other.Equals(reference), Is.False);
        }
    }

    [Test]
    public void SkipDoc_DifferentMessage_IsNotEqual_AndNeverEqualsAnErrorDoc()
    {
        var skip = new SkipDoc(Start(), End(), "m", "id", "t", Metadata(), "s", "pk");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(skip.Equals(new SkipDoc(Start(), End(), "m2", "id", "t", Metadata(), "s", "pk")), Is.False);
            Assert.That(skip.Equals(new ErrorDoc(Start(), End(), "m", "id", "t", Metadata(), "s", "pk")), Is.False);
            Assert.That(skip.Equals(null), Is.False);
        }
    }

    private sealed class DerivedErrorDoc(
        IReadOnlyDictionary<string, string>? start, IReadOnlyDictionary<string, string>? end, string? message,
        string? id, string? type, IReadOnlyDictionary<string, object?>? metadata, string? serialized, string? key)
        : ErrorDoc(start, end, message, id, type, metadata, serialized, key);
}
