using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Bridge;

namespace LetsData.Runtime.Tests.Bridge;

/// <summary>LetsData's wire shapes (spec §3.3) as the contract's documents, results and hints.</summary>
public class BridgeDocumentsTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Test]
    public void KeyValueDocument_IsWrittenAsItsMapFlattenedWithIdTypeKeyAndMetadata()
    {
        var result = BridgeDocuments.Result(Json("""
            {"nextRecordType": null, "status": "SUCCESS", "document": {"documentType": "Document", "documentId": "u",
             "recordType": "Content", "partitionKey": "p", "documentMetadata": {"crawl": "CC"},
             "documentKeyValuesMap": {"url": "u", "n": 3, "nested": {"a": [1, true, null]}}}}
            """));

        Assert.That(result.Status, Is.EqualTo(ParseDocumentResultStatus.Success));
        var written = JsonDocument.Parse(result.Document!.Serialize()!).RootElement;
        Assert.That(written.EnumerateObject().Select(p => p.Name),
            Is.EquivalentTo(new[] { "url", "n", "nested", "documentId", "recordType", "partitionKey", "documentMetadata" }));
        Assert.That(written.GetProperty("n").GetInt32(), Is.EqualTo(3));
        Assert.That(written.GetProperty("nested").GetRawText(), Is.EqualTo("""{"a":[1,true,null]}"""));
        Assert.That(written.GetProperty("documentMetadata").GetProperty("crawl").GetString(), Is.EqualTo("CC"));
        Assert.That(written.GetProperty("partitionKey").GetString(), Is.EqualTo("p"));
    }

    [Test]
    public void ErrorDoc_KeepsItsOffsetsWrittenWithLowerCaseO_AndNumbersBecomeDigits()
    {
        var result = BridgeDocuments.Result(Json("""
            {"status": "ERROR", "document": {"documentType": "ErrorDoc", "recordType": "R",
             "errorStartoffsetMap": {"WARC": "10"}, "errorEndoffsetMap": {"WARC": 25}, "errorMessage": "bad"}}
            """));

        Assert.That(result.Status, Is.EqualTo(ParseDocumentResultStatus.Error));
        var error = (IErrorDoc)result.Document!;
        Assert.That(error.ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["WARC"] = "10" }));
        Assert.That(error.ErrorEndOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["WARC"] = "25" }));
        Assert.That(error.ErrorMessage, Is.EqualTo("bad"));
        Assert.That(error.RecordType, Is.EqualTo("R"));
    }

    [Test]
    public void SkipDoc_WithoutStatus_IsASkipByItsDocumentType()
    {
        var result = BridgeDocuments.Result(Json("""
            {"document": {"documentType": "SkipDoc", "errorStartoffsetMap": {"T": "1"}, "errorEndoffsetMap": {"T": "2"}, "skipMessage": "warcinfo"}}
            """));

        Assert.That(result.Status, Is.EqualTo(ParseDocumentResultStatus.Skip));
        Assert.That(((ISkipDoc)result.Document!).SkipMessage, Is.EqualTo("warcinfo"));
    }

    [Test]
    public void UnknownStatus_IsRefused()
    {
        Assert.That(() => BridgeDocuments.Result(Json("""{"status": "MAYBE", "document": null}""")), Throws.TypeOf<FormatException>());
    }

    [Test]
    public void Hints_PatternAndOffset()
    {
        Assert.That(BridgeDocuments.Hint(Json("""{"recordHintType": "PATTERN", "pattern": "WARC/1.0", "offset": -1}""")),
            Is.EqualTo(RecordParseHint.ForPattern("WARC/1.0")));
        Assert.That(BridgeDocuments.Hint(Json("""{"recordHintType": "OFFSET", "pattern": null, "offset": 8}""")),
            Is.EqualTo(RecordParseHint.ForOffset(8)));
        Assert.That(() => BridgeDocuments.Hint(Json("""{"recordHintType": "PATTERN", "pattern": ""}""")), Throws.TypeOf<FormatException>());
    }
}
