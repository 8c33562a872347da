using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Interfaces.Tests.Readers;

[TestFixture]
public class ParseDocumentResultTests
{
    private static readonly Document Parsed = new("id", "response", null, new Dictionary<string, object?> { ["a"] = 1 }, null);

    [Test]
    public void Factories_PairEachStatusWithItsDocumentKind()
    {
        var error = new ErrorDoc(null, null, "bad");
        var skip = new SkipDoc(null, null, "not wanted");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ParseDocumentResult.Success(Parsed), Is.EqualTo(new ParseDocumentResult(null, Parsed, ParseDocumentResultStatus.Success)));
            Assert.That(ParseDocumentResult.Error(error, "request"), Is.EqualTo(new ParseDocumentResult("request", error, ParseDocumentResultStatus.Error)));
            Assert.That(ParseDocumentResult.Skip(skip), Is.EqualTo(new ParseDocumentResult(null, skip, ParseDocumentResultStatus.Skip)));
        }
    }

    [Test]
    public void Factories_RefuseANullDocument()
    {
        Assert.Throws<ArgumentNullException>(() => ParseDocumentResult.Success(null!));
        Assert.Throws<ArgumentNullException>(() => ParseDocumentResult.Error(null!));
        Assert.Throws<ArgumentNullException>(() => ParseDocumentResult.Skip(null!));
    }

    [Test]
    public void ErrorAndSkipDocs_ShareOneBase_YetAreNeverEqualToEachOther()
    {
        RecordOffsetDoc error = new ErrorDoc(null, null, "same", "id");
        RecordOffsetDoc skip = new SkipDoc(null, null, "same", "id");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Not.EqualTo(skip));
            Assert.That(error.DocumentType, Is.EqualTo(DocumentType.ErrorDoc));
            Assert.That(skip.DocumentType, Is.EqualTo(DocumentType.SkipDoc));
            Assert.That(error.ToString(), Is.EqualTo("ErrorDoc { DocumentId = id, RecordType = , ErrorMessage = same }"));
            Assert.That(skip.ToString(), Is.EqualTo("SkipDoc { DocumentId = id, RecordType = , SkipMessage = same }"));
        }
    }
}
