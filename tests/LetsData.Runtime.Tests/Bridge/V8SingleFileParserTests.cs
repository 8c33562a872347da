using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Bridge;
using LetsData.Runtime.Bridge.V8;

namespace LetsData.Runtime.Tests.Bridge;

/// <summary>
/// A JavaScript project on V8 in this process: the same results as the Node host, one instance per task (state kept),
/// no Node or host API, a call past the timeout interrupted and a heap bomb stopped — each a task failure naming the
/// function, after which a new isolate works.
/// </summary>
public class V8SingleFileParserTests
{
    private const string Parser = """
        let calls = 0;
        export class SingleFileParser {
          constructor() { this.seen = 0; }
          getS3FileType() { return 'LINES'; }
          getResolvedS3FileName(s3FileType, fileName) { return 'resolved/' + fileName; }
          getRecordStartPattern(s3FileType) { return { recordHintType: 'PATTERN', pattern: 'REC ', offset: -1 }; }
          getRecordEndPattern(s3FileType) { return { recordHintType: 'PATTERN', pattern: '\n', offset: -1 }; }
          parseDocument(s3FileType, s3Filename, offsetBytes, byteArr, startIndex, endIndex) {
            const text = new TextDecoder().decode(byteArr.subarray(startIndex, endIndex));
            this.seen++;
            if (text === 'REC raise') {
              throw new RangeError('no good');
            }
            if (text === 'REC loop') {
              for (;;) {}
            }
            if (text === 'REC bomb') {
              const hoard = [];
              for (;;) { hoard.push(new Array(100000).fill(hoard.length)); }
            }
            if (text === 'REC globals') {
              const probe = (f) => { try { return typeof f(); } catch (e) { return 'throws'; } };
              return { status: 'SUCCESS', document: { documentType: 'Document', documentId: 'g', documentKeyValuesMap: {
                require: probe(() => require), process: probe(() => process), fetch: probe(() => fetch),
                Buffer: probe(() => Buffer), host: probe(() => host), xhr: probe(() => XMLHttpRequest) } } };
            }
            return { status: 'SUCCESS', document: { documentType: 'Document', documentId: String(offsetBytes),
              documentKeyValuesMap: { text, seen: this.seen, utf8: new TextEncoder().encode(text).length, length: endIndex - startIndex } } };
          }
        }
        """;

    private string _root = "";

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("letsdata-v8-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private BridgeProject Project(string source, string? extraFile = null, string? extraSource = null)
    {
        var project = new BridgeProject(BridgeLanguage.JavaScript, Path.Combine(_root, "js")) { OnV8 = true };
        var file = project.FileOf(BridgeInterface.SingleFileParser);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, source);
        if (extraFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(project.Folder, extraFile))!);
            File.WriteAllText(Path.Combine(project.Folder, extraFile), extraSource);
        }

        return project;
    }

    private static V8SingleFileParser Open(BridgeProject project, TimeSpan? timeout = null, int heapMegabytes = 64) =>
        new(project, new V8Settings((long)heapMegabytes * 1024 * 1024, timeout ?? TimeSpan.FromSeconds(30)));

    private static ParseDocumentResult Parse(V8SingleFileParser parser, string text, long offset = 0) =>
        parser.ParseDocument("LINES", "a.txt", offset, Encoding.UTF8.GetBytes(text));

    private static IReadOnlyDictionary<string, object?> Values(ParseDocumentResult result) =>
        ((Document)result.Document!).KeyValues;

    [Test]
    public void PerFileFunctionsAndDocuments_AreReadAsFromTheNodeHost()
    {
        using var parser = Open(Project(Parser));

        Assert.That(parser.S3FileType, Is.EqualTo("LINES"));
        Assert.That(parser.GetResolvedS3FileName("LINES", "a.txt"), Is.EqualTo("resolved/a.txt"));
        Assert.That(parser.GetRecordStartPattern("LINES").Pattern, Is.EqualTo("REC "));
        Assert.That(parser.GetRecordEndPattern("LINES").Pattern, Is.EqualTo("\n"));
        var result = Parse(parser, "REC ünïcode €𝄞", 40);
        Assert.That(result.Status, Is.EqualTo(ParseDocumentResultStatus.Success));
        Assert.That(result.Document!.DocumentId, Is.EqualTo("40"));
        Assert.That(Values(result)["text"]?.ToString(), Is.EqualTo("REC ünïcode €𝄞"));
        Assert.That(Values(result)["utf8"]?.ToString(), Is.EqualTo(Encoding.UTF8.GetByteCount("REC ünïcode €𝄞").ToString()));
    }

    [Test]
    public void TheInstanceLivesForTheTask_SoAReaderKeepsState()
    {
        using var parser = Open(Project(Parser));

        var seen = Enumerable.Range(0, 3).Select(i => Values(Parse(parser, $"REC {i}"))["seen"]?.ToString()).ToList();
        using var nextTask = Open(Project(Parser));

        Assert.That(seen, Is.EqualTo(new[] { "1", "2", "3" }));
        Assert.That(Values(Parse(nextTask, "REC x"))["seen"]?.ToString(), Is.EqualTo("1"), "a new task, a new isolate");
    }

    [Test]
    public void AnExceptionInParseDocument_IsAnErrorRecordNamingFunctionFileAndLine()
    {
        var project = Project(Parser);
        using var parser = Open(project);

        var result = Parse(parser, "REC raise", 12);

        Assert.That(result.Status, Is.EqualTo(ParseDocumentResultStatus.Error));
        var error = (ErrorDoc)result.Document!;
        Assert.That(error.ErrorMessage, Is.EqualTo($"SingleFileParser.parseDocument raised RangeError: no good ({project.FileOf(BridgeInterface.SingleFileParser)}:12)"));
        Assert.That(error.ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["LINES"] = "12" }));
        Assert.That(Values(Parse(parser, "REC after"))["text"]?.ToString(), Is.EqualTo("REC after"), "the task goes on");
    }

    [Test]
    public void ABatch_GivesEachRecordItsResult_InOrder_WithOneInstance()
    {
        using var parser = Open(Project(Parser));
        var records = new[] { "REC a", "REC raise", "REC ü" }
            .Select((text, i) => new BatchedRecord(1000L * i + 5_000_000_000L, Encoding.UTF8.GetBytes(text), 0, 0)).ToList();

        var results = parser.ParseDocuments("LINES", "a.txt", records);

        Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { ParseDocumentResultStatus.Success, ParseDocumentResultStatus.Error, ParseDocumentResultStatus.Success }));
        Assert.That(results[0].Document!.DocumentId, Is.EqualTo("5000000000"), "offsets past 4 GB survive");
        Assert.That(Values(results[2])["text"]?.ToString(), Is.EqualTo("REC ü"));
        Assert.That(Values(results[2])["seen"]?.ToString(), Is.EqualTo("3"));
        Assert.That(((ErrorDoc)results[1].Document!).ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["LINES"] = "5000001000" }));
    }

    [Test]
    public void NoNodeOrHostApi_IsThere()
    {
        using var parser = Open(Project(Parser));

        var values = Values(Parse(parser, "REC globals"));

        Assert.That(values.ToDictionary(v => v.Key, v => v.Value?.ToString()), Is.EqualTo(new Dictionary<string, string>
        {
            ["require"] = "throws", ["process"] = "throws", ["fetch"] = "throws", ["Buffer"] = "throws", ["host"] = "throws", ["xhr"] = "throws",
        }));
    }

    [TestCase("import fs from 'fs';", "'fs'")]
    [TestCase("import fs from 'node:fs';", "'node:fs'")]
    [TestCase("import { x } from '../../../../outside.js';", "outside the project folder")]
    public void ImportsOfNodeModulesOrFilesOutsideTheProject_DoNotLoad(string import, string named)
    {
        File.WriteAllText(Path.Combine(_root, "outside.js"), "export const x = 1;");
        using var parser = Open(Project(import + "\n" + Parser));

        var e = Assert.Throws<V8LoadException>(() => _ = parser.S3FileType);

        Assert.That(e!.Message, Does.Contain("SingleFileParser does not load").And.Contain(named));
    }

    [Test]
    public void RelativeImportsInsideTheProject_Load()
    {
        var source = "import { prefix } from '../../util/Prefix.js';\n" + Parser.Replace("return 'resolved/' + fileName;", "return prefix + fileName;", StringComparison.Ordinal);
        using var parser = Open(Project(source, "letsdata_interfaces/util/Prefix.js", "export const prefix = 'p/';"));

        Assert.That(parser.GetResolvedS3FileName("LINES", "a.txt"), Is.EqualTo("p/a.txt"));
    }

    [Test]
    public void ASyntaxError_NamesFileAndLine()
    {
        var project = Project("export class SingleFileParser {\n  getS3FileType() {\n    return 'A' +;\n  }\n}\n");
        using var parser = Open(project);

        var e = Assert.Throws<V8LoadException>(() => _ = parser.S3FileType);

        Assert.That(e!.Message, Does.StartWith($"{project.FileOf(BridgeInterface.SingleFileParser)}:3: SingleFileParser does not load: SyntaxError"));
    }

    [Test]
    public void AnInfiniteLoop_IsInterruptedAtTheCallTimeout_AndNamesTheFunction()
    {
        using var parser = Open(Project(Parser), TimeSpan.FromMilliseconds(300));
        Assert.That(Values(Parse(parser, "REC 1"))["text"]?.ToString(), Is.EqualTo("REC 1"));

        var e = Assert.Throws<V8CallStoppedException>(() => Parse(parser, "REC loop"));

        Assert.That(e!.Message, Does.StartWith("SingleFileParser.parseDocument did not return within 0.3 s (pluginCallTimeout): V8 interrupted the script"));
        using var next = Open(Project(Parser), TimeSpan.FromMilliseconds(300));
        Assert.That(Values(Parse(next, "REC 2"))["text"]?.ToString(), Is.EqualTo("REC 2"), "the next task's isolate works");
    }

    [Test]
    public void AHeapBomb_IsStoppedAtTheHeapLimit()
    {
        using var parser = Open(Project(Parser), heapMegabytes: 32);

        var e = Assert.Throws<V8CallStoppedException>(() => Parse(parser, "REC bomb"));

        Assert.That(e!.Message, Does.StartWith("SingleFileParser.parseDocument went over the JavaScript heap limit of 32 MB"));
        using var next = Open(Project(Parser), heapMegabytes: 32);
        Assert.That(Values(Parse(next, "REC 2"))["text"]?.ToString(), Is.EqualTo("REC 2"), "this process goes on");
    }
}
