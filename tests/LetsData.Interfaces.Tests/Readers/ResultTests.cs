using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Interfaces.Tests.Readers;

[TestFixture]
public class ResultTests
{
    [Test]
    public void ParseDocumentResult_KeepsItsValues_AndComparesByValue()
    {
        var doc = new SkipDoc(null, null, "skip");

        var result = new ParseDocumentResult("response", doc, ParseDocumentResultStatus.Skip);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.NextRecordType, Is.EqualTo("response"));
            Assert.That(result.Document, Is.SameAs(doc));
            Assert.That(result.Status, Is.EqualTo(ParseDocumentResultStatus.Skip));
            Assert.That(result, Is.EqualTo(new ParseDocumentResult("response", doc, ParseDocumentResultStatus.Skip)));
            Assert.That(result, Is.Not.EqualTo(new ParseDocumentResult("response", doc, ParseDocumentResultStatus.Error)));
        }
    }

    [Test]
    public void ParseCompositeDocumentResult_KeepsItsValuesInContractOrder()
    {
        var next = new Dictionary<string, string?> { ["WARC"] = "request", ["WAT"] = null };
        var last = new Dictionary<string, string?> { ["WARC"] = "metadata", ["WAT"] = null };
        var offsets = new Dictionary<string, string> { ["WARC"] = "1024", ["WAT"] = "0" };
        var doc = new CompositeDoc(null);

        var result = new ParseCompositeDocumentResult(next, doc, last, offsets,
            SingleFileReaderState.Processing, ParseDocumentResultStatus.Error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.NextRecordTypes, Is.SameAs(next));
            Assert.That(result.Document, Is.SameAs(doc));
            Assert.That(result.LastProcessedRecordTypes, Is.SameAs(last));
            Assert.That(result.Offsets, Is.SameAs(offsets));
            Assert.That(result.ReaderState, Is.EqualTo(SingleFileReaderState.Processing));
            Assert.That(result.Status, Is.EqualTo(ParseDocumentResultStatus.Error));
        }
    }

    [Test]
    public void ParseCompositeDocumentResult_EqualityIncludesTheStatus()
    {
        // The Java equals() omits the status; the port does not keep that quirk.
        var a = new ParseCompositeDocumentResult(null, null, null, null, SingleFileReaderState.Completed, ParseDocumentResultStatus.Success);
        var b = a with { Status = ParseDocumentResultStatus.Error };

        Assert.That(a, Is.Not.EqualTo(b));
    }
}
