using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Bridge;

namespace LetsData.Runtime.Tests.Bridge;

/// <summary>The Python and Node hosts as real processes, driven by the runtime's parser: batches, failures, crashes.</summary>
public class BridgeHostTests
{
    private const string PythonParser = """
        import os

        class SingleFileParser:
            def getS3FileType(self):
                print("chatter on standard output must not break the framing")
                return "LINES"

            def getResolvedS3FileName(self, s3FileType, fileName):
                return "resolved/" + fileName

            def getRecordStartPattern(self, s3FileType):
                return {"recordHintType": "PATTERN", "pattern": "REC ", "offset": -1}

            def getRecordEndPattern(self, s3FileType):
                return {"recordHintType": "PATTERN", "pattern": "\n", "offset": -1}

            def parseDocument(self, s3FileType, s3Filename, offsetBytes, byteArr, startIndex, endIndex):
                print("more chatter")
                text = bytes(byteArr[startIndex:endIndex]).decode("utf-8")
                if text == "REC raise":
                    raise ValueError("no good")
                if text == "REC exit":
                    os._exit(9)
                return {"status": "SUCCESS", "document": {"documentType": "Document", "documentId": str(offsetBytes),
                        "documentKeyValuesMap": {"text": text, "length": endIndex - startIndex}}}
        """;

    private const string JavaScriptParser = """
        export class SingleFileParser {
          getS3FileType() { console.log('chatter on standard output must not break the framing'); return 'LINES'; }
          getResolvedS3FileName(s3FileType, fileName) { return 'resolved/' + fileName; }
          getRecordStartPattern(s3FileType) { return { recordHintType: 'PATTERN', pattern: 'REC ', offset: -1 }; }
          getRecordEndPattern(s3FileType) { return { recordHintType: 'PATTERN', pattern: '\n', offset: -1 }; }
          parseDocument(s3FileType, s3Filename, offsetBytes, byteArr, startIndex, endIndex) {
            console.log('more chatter');
            const text = new TextDecoder().decode(byteArr.subarray(startIndex, endIndex));
            if (text === 'REC raise') {
              throw new RangeError('no good');
            }
            if (text === 'REC exit') {
              process.exit(9);
            }
            return { status: 'SUCCESS', document: { documentType: 'Document', documentId: String(offsetBytes),
              documentKeyValuesMap: { text, length: endIndex - startIndex } } };
          }
        }
        """;

    private string _root = "";

    [SetUp]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("letsdata-bridge-").FullName;

    [TearDown]
    public void RemoveRoot() => Directory.Delete(_root, recursive: true);

    [TestCase(BridgeLanguage.Python)]
    [TestCase(BridgeLanguage.JavaScript)]
    public void Batch_AnswersEveryRecordInOrder_AnExceptionBecomesAnErrorDocNamingFileAndLine(BridgeLanguage language)
    {
        using var pool = Pool(language);
        var parser = new BridgeSingleFileParser(pool);
        string[] texts = ["REC ü", "REC raise", "REC 3"];
        var records = texts.Select((t, i) => new BatchedRecord(i * 100, Encoding.UTF8.GetBytes(t), i * 100 + 10, 0)).ToList();

        var results = parser.ParseDocuments("LINES", "f", records);

        Assert.That(parser.S3FileType, Is.EqualTo("LINES"));
        Assert.That(parser.GetResolvedS3FileName("LINES", "a"), Is.EqualTo("resolved/a"));
        Assert.That(parser.GetRecordEndPattern("LINES"), Is.EqualTo(RecordParseHint.ForPattern("\n")));
        Assert.That(results.Select(r => r.Status), Is.EqualTo(new[]
            { ParseDocumentResultStatus.Success, ParseDocumentResultStatus.Error, ParseDocumentResultStatus.Success }));
        Assert.That(results[0].Document!.Serialize(), Does.Contain("\"text\":\"REC ü\"").And.Contain("\"length\":6"), "the bytes arrive exactly");
        var error = (IErrorDoc)results[1].Document!;
        Assert.That(error.ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["LINES"] = "100" }));
        Assert.That(error.ErrorEndOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["LINES"] = "109" }));
        var file = pool.Project.FileOf(BridgeInterface.SingleFileParser);
        Assert.That(error.ErrorMessage, Does.StartWith("SingleFileParser.parseDocument raised")
            .And.Contain(language == BridgeLanguage.Python ? "ValueError: no good" : "RangeError: no good")
            .And.Contain($"{file}:{(language == BridgeLanguage.Python ? 21 : 10)}"));
        Assert.That(results[2].Document!.DocumentId, Is.EqualTo("200"));
    }

    [TestCase(BridgeLanguage.Python)]
    [TestCase(BridgeLanguage.JavaScript)]
    public void HostThatDies_FailsThatCall_AndTheNextCallGetsANewHost(BridgeLanguage language)
    {
        using var pool = Pool(language);
        var parser = new BridgeSingleFileParser(pool);

        Assert.That(() => parser.ParseDocument("LINES", "f", 0, "REC exit"u8),
            Throws.TypeOf<BridgeHostException>().With.Message.Contain("died during SingleFileParser.parseDocument").And.Message.Contain("exit code 9"));
        Assert.That(parser.ParseDocument("LINES", "f", 7, "REC 1"u8).Document!.DocumentId, Is.EqualTo("7"));
    }

    [Test]
    public void ProjectWithoutTheInterface_FailsTheStartUpCheckNamingTheFile()
    {
        var project = new BridgeProject(BridgeLanguage.Python, Directory.CreateDirectory(Path.Combine(_root, "empty", "letsdata_interfaces")).Parent!.FullName);
        var problems = new List<string>();

        Assert.That(BridgePreparation.TryPrepare(project, null, problems), Is.Null);
        Assert.That(problems, Has.One.Contains("SingleFileParser does not load").And.Contain("ModuleNotFoundError"));
    }

    private BridgeHostPool Pool(BridgeLanguage language) => TestProjects.Pool(_root, language, BridgeInterface.SingleFileParser,
        language == BridgeLanguage.Python ? PythonParser : JavaScriptParser);
}
