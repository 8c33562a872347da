using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.CommonCrawl;

namespace LetsData.Plugins.Samples.Tests.CommonCrawl;

/// <summary>
/// The WAT parser reads its JSON envelope in one forward pass (Utf8JsonReader, no DOM): the fields must be found in any
/// property order, values of an unexpected kind skipped without losing the place, and invalid JSON must still fail.
/// </summary>
public class WatJsonTests
{
    private const string Url = "https://example.org/page";

    [Test]
    public void ResponseFieldsAreFoundInAnyOrderAndUnexpectedKindsAreSkipped()
    {
        const string json = """
            {"Container":{"Offsets":[1,2,{"x":null}]},
             "Envelope":{
               "Payload-Metadata":{
                 "HTTP-Response-Metadata":{
                   "Headers-Length":"12",
                   "HTML-Metadata":{"Head":{
                     "Scripts":[{"url":"a.js"}],
                     "Metas":[{"name":"Description","content":" The \"page\" \u00e9 "},"junk",{"property":"og:Title","content":"OG"},
                              {"name":"keywords"},{"name":"keywords","content":"k1, k2"},{"name":"description","content":"second"}],
                     "Title":" Café \u0026 co ",
                     "Link":[{"rel":"icon","url":"/i.png"},{"url":"https://example.org/c","rel":"canonical"},7]}},
                   "Response-Message":{"Version":"HTTP/1.1","Status":"404","Reason":"Not Found"},
                   "Headers":{"Server":["a","b"],"content-type":"text/html; charset=utf-8","Content-Type":"text/plain"}},
                 "Actual-Content-Type":"application/http; msgtype=response"},
               "WARC-Header-Metadata":{"WARC-Target-URI":"https://example.org/page","WARC-Type":"response"}}}
            """;

        var record = (WatMetadataRecord)Parse(json).Document!;

        Assert.Multiple(() =>
        {
            Assert.That(record.RecordType, Is.EqualTo(CommonCrawlRecordTypes.WatResponseMetadata));
            Assert.That(record.DescribedWarcType, Is.EqualTo("response"));
            Assert.That(record.ActualContentType, Is.EqualTo("application/http; msgtype=response"));
            Assert.That(record.HttpStatus, Is.EqualTo(404));
            Assert.That(record.HttpContentType, Is.EqualTo("text/html; charset=utf-8"));
            Assert.That(record.Html.Title, Is.EqualTo("Café & co"));
            Assert.That(record.Html.Description, Is.EqualTo("The \"page\" é"));
            Assert.That(record.Html.Keywords, Is.EqualTo("k1, k2"));
            Assert.That(record.Html.OpenGraphValue("og:title"), Is.EqualTo("OG"));
            Assert.That(record.Html.Icon, Is.EqualTo("/i.png"));
            Assert.That(record.Html.Canonical, Is.EqualTo("https://example.org/c"));
        });
    }

    [Test]
    public void WrongKindsOfKnownNamesDoNotDerailTheReader()
    {
        const string json = """
            {"Envelope":{"Payload-Metadata":{"HTTP-Response-Metadata":"not an object","Actual-Content-Type":["x"]},
             "WARC-Header-Metadata":{"WARC-Type":"request"},"Format":"WARC"},"Envelope2":{}}
            """;

        var record = (WatMetadataRecord)Parse(json).Document!;

        Assert.Multiple(() =>
        {
            Assert.That(record.RecordType, Is.EqualTo(CommonCrawlRecordTypes.WatRequestMetadata));
            Assert.That(record.ActualContentType, Is.Null);
            Assert.That(record.HttpStatus, Is.Null);
        });
    }

    [TestCase("""{"Envelope":{"WARC-Header-Metadata":{"WARC-Type":"response"}}""", "")]
    [TestCase("""{"Envelope":{"WARC-Header-Metadata":{"WARC-Type":"response"}}} trailing""", "")]
    [TestCase("""[{"Envelope":{}}]""", "no Envelope object")]
    [TestCase("""{"Envelope":"text"}""", "no Envelope object")]
    [TestCase("""{"Envelope":{"WARC-Header-Metadata":{"WARC-Type":7}}}""", "WARC-Type")]
    [TestCase("""{"Envelope":{"WARC-Header-Metadata":{"WARC-Type":"revisit"}}}""", "'revisit'")]
    [TestCase("", "")]
    public void BadJsonIsAnErrorDocument(string json, string messagePart)
    {
        var result = Parse(json);

        Assert.That(result.Status, Is.EqualTo(ParseDocumentResultStatus.Error));
        var error = (IErrorDoc)result.Document!;
        Assert.That(error.ErrorMessage, Does.Contain("payload does not parse").And.Contain(messagePart));
    }

    private static ParseDocumentResult Parse(string json)
    {
        var payload = Encoding.UTF8.GetBytes(json);
        var header = Encoding.UTF8.GetBytes(
            "WARC/1.0\r\nWARC-Type: metadata\r\nWARC-Target-URI: " + Url + "\r\nWARC-Record-ID: <urn:uuid:2>\r\n"
            + "Content-Type: application/json\r\nContent-Length: " + payload.Length + "\r\n\r\n");
        byte[] record = [.. header, .. payload, .. "\r\n\r\n"u8];
        return new WatFileParser().ParseDocument(WatFileParser.FileType, "f.wat", 0, CommonCrawlRecordTypes.WatWarcInfoMetadata, null, record);
    }
}
