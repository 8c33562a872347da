using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Integration.Tests.Support;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.TargetUris;
using LetsData.Plugins.Samples.WetText;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.S3;
using LetsData.Runtime.Connectors;

namespace LetsData.Integration.Tests.S3;

/// <summary>
/// The S3 write and error connectors against s3rver: the sample parsers run through the engine over the bundled
/// Common Crawl files, once into local JSON Lines files and once into S3 objects, and the two compared.
/// </summary>
public class S3WriteConnectorTests
{
    private const string Warc = "whirlwind.warc.gz";
    private const string Wet = "whirlwind.warc.wet.gz";

    private string _bucket = "";
    private string _tempDirectory = "";

    private static string DataDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "commoncrawl");

    [OneTimeSetUp]
    public async Task CreateTheBucket()
    {
        _bucket = $"letsdata-out-{Guid.NewGuid().ToString("N")[..12]}";
        _tempDirectory = Directory.CreateTempSubdirectory("letsdata-s3-write-tests-").FullName;
        using var client = NewClient();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
    }

    [OneTimeTearDown]
    public void RemoveTempFiles() => Directory.Delete(_tempDirectory, recursive: true);

    [TestCase(Warc)]
    [TestCase(Wet)]
    public async Task DocumentsWrittenToS3EqualTheLocalRun(string file)
    {
        var parser = ParserFor(file);
        var local = await RunLocalAsync(parser, new LocalFileSource(DataDirectory), file);
        var s3 = await RunS3Async(parser, new LocalFileSource(DataDirectory), "docs/plain/", "errors/plain/", gzip: false, file);

        AssertCompleted(local);
        AssertCompleted(s3);
        var expected = await File.ReadAllLinesAsync(Path.Combine(local.DocumentsDirectory, $"{OutputName(file)}.jsonl"));
        Assert.That(expected, Is.Not.Empty);
        using var client = NewClient();
        Assert.That(await KeysAsync(client, "docs/plain/"), Is.EqualTo(new[] { $"docs/plain/{OutputName(file)}.jsonl" }));
        Assert.That(Lines(await GetBytesAsync(client, $"docs/plain/{OutputName(file)}.jsonl")), Is.EqualTo(expected));
        Assert.That(await KeysAsync(client, "errors/plain/"), Is.Empty, "no errors, no error object");
        await DeleteAsync(client, "docs/plain/");
    }

    [TestCase(Warc)]
    [TestCase(Wet)]
    public async Task GzipObjectsGunzipToTheLocalRun(string file)
    {
        var parser = ParserFor(file);
        var local = await RunLocalAsync(parser, new LocalFileSource(DataDirectory), file);
        var s3 = await RunS3Async(parser, new LocalFileSource(DataDirectory), "docs/gzip/", "errors/gzip/", gzip: true, file);

        AssertCompleted(s3);
        using var client = NewClient();
        Assert.That(await KeysAsync(client, "docs/gzip/"), Is.EqualTo(new[] { $"docs/gzip/{OutputName(file)}.jsonl.gz" }));
        var gunzipped = Gunzip(await GetBytesAsync(client, $"docs/gzip/{OutputName(file)}.jsonl.gz"));
        Assert.That(gunzipped, Is.EqualTo(await File.ReadAllBytesAsync(Path.Combine(local.DocumentsDirectory, $"{OutputName(file)}.jsonl"))));
        await DeleteAsync(client, "docs/gzip/");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task AnErroredTaskKeepsItsGoodDocumentsUnderTheErroredNameAndItsErrorRecordsLandInTheErrorPrefix(bool gzip)
    {
        const int goodRecords = 2;
        var docs = $"docs/errored-{gzip}/";
        var errors = $"errors/errored-{gzip}/";
        var inputDirectory = await WriteRecordsAsync($"errored-{gzip}", 20);
        Func<ISingleFileParser> parser = () => new FailingAfter(new PaddingParser(), goodRecords);
        var local = await RunLocalAsync(parser, new LocalFileSource(inputDirectory), "records.txt");
        var s3 = await RunS3Async(parser, new LocalFileSource(inputDirectory), docs, errors, gzip, "records.txt");

        var task = s3.Summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored), $"records {task.Counters.Records}, documents {task.Counters.Documents}");
        var extension = gzip ? ".jsonl.gz" : ".jsonl";
        using var client = NewClient();
        Assert.That(await KeysAsync(client, docs), Is.EqualTo(new[] { $"{docs}task-0001.records.errored{extension}" }));
        var good = Lines(Decode(await GetBytesAsync(client, $"{docs}task-0001.records.errored{extension}"), gzip));
        Assert.That(good, Is.EqualTo(await File.ReadAllLinesAsync(Path.Combine(local.DocumentsDirectory, "task-0001.records.errored.jsonl"))));
        Assert.That(good, Has.Length.EqualTo(goodRecords));

        Assert.That(await KeysAsync(client, errors), Is.EqualTo(new[] { $"{errors}task-0001.records.errored{extension}" }));
        var records = Lines(Decode(await GetBytesAsync(client, $"{errors}task-0001.records.errored{extension}"), gzip));
        Assert.That(records, Is.EqualTo(await File.ReadAllLinesAsync(Path.Combine(local.ErrorsDirectory, "task-0001.records.errored.jsonl"))));
        var record = JsonDocument.Parse(records.Single()).RootElement;
        Assert.That(record.GetProperty("kind").GetString(), Is.EqualTo("TaskError"));
        Assert.That(record.GetProperty("taskId").GetString(), Is.EqualTo("task-0001"));
        Assert.That(record.GetProperty("dataset").GetString(), Is.EqualTo("S3WriteTest"));
        Assert.That(record.GetProperty("errorMessage").GetString(), Does.Contain(FailingAfter.Message));
    }

    [Test]
    public async Task ARerunThatSucceedsReplacesTheErroredObject()
    {
        const string docs = "docs/rerun/";
        var inputDirectory = await WriteRecordsAsync("rerun", 20);
        await RunS3Async(() => new FailingAfter(new PaddingParser(), 3), new LocalFileSource(inputDirectory), docs, "errors/rerun/", false, "records.txt");
        using var client = NewClient();
        Assert.That(await KeysAsync(client, docs), Is.EqualTo(new[] { $"{docs}task-0001.records.errored.jsonl" }));

        var rerun = await RunS3Async(() => new PaddingParser(), new LocalFileSource(inputDirectory), docs, "errors/rerun/", false, "records.txt");

        AssertCompleted(rerun);
        Assert.That(await KeysAsync(client, docs), Is.EqualTo(new[] { $"{docs}task-0001.records.jsonl" }));
        Assert.That(await KeysAsync(client, "errors/rerun/"), Is.Empty, "the earlier run's error object is gone too");
    }

    [Test]
    public async Task AnOutputLargerThanOnePartArrivesCompleteAndByteExactThroughMultipartUpload()
    {
        const int records = 16_000;
        var inputDirectory = await WriteRecordsAsync("large", records);
        var recording = new RequestRecordingHttpClientFactory();

        var local = await RunLocalAsync(() => new PaddingParser(), new LocalFileSource(inputDirectory), "records.txt");
        var s3 = await RunS3Async(() => new PaddingParser(), new LocalFileSource(inputDirectory), "docs/large/", "errors/large/", false,
            ["records.txt"], c => c.HttpClientFactory = recording);

        AssertCompleted(local);
        AssertCompleted(s3);
        var expected = await File.ReadAllBytesAsync(Path.Combine(local.DocumentsDirectory, "task-0001.records.jsonl"));
        Assert.That(expected.Length, Is.GreaterThan(2 * S3PartUploadSize), "the output spans more than two parts");
        Assert.That(Lines(expected), Has.Length.EqualTo(records));
        using var client = NewClient();
        var actual = await GetBytesAsync(client, "docs/large/task-0001.records.jsonl");
        Assert.That(actual.Length, Is.EqualTo(expected.Length));
        Assert.That(actual, Is.EqualTo(expected));
        var partUploads = recording.Requests.Where(r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.Contains("partNumber=", StringComparison.Ordinal)).ToList();
        Assert.That(partUploads, Has.Count.EqualTo((int)Math.Ceiling(expected.Length / (double)S3PartUploadSize)));
        Assert.That(recording.Requests.Count(r => r.StartsWith("POST ", StringComparison.Ordinal) && r.Contains("uploads", StringComparison.Ordinal)), Is.EqualTo(1),
            "one multipart upload started");
        Assert.That(recording.Requests.Count(r => r.StartsWith("POST ", StringComparison.Ordinal) && r.Contains("uploadId=", StringComparison.Ordinal)), Is.EqualTo(1),
            "one multipart upload completed");
        await DeleteAsync(client, "docs/large/");
    }

    [Test]
    public async Task AnErroredTaskWhoseOutputAlreadyStartedAMultipartUploadEndsUnderTheErroredNameOnly()
    {
        // More than two parts of good documents, then the parser fails: the upload has parts in flight when the task
        // errors; an S3 object cannot be renamed, so it is completed, copied to the errored name and deleted.
        const int goodRecords = 14_000;
        const string docs = "docs/errored-large/";
        var inputDirectory = await WriteRecordsAsync("errored-large", goodRecords + 10);
        Func<ISingleFileParser> parser = () => new FailingAfter(new PaddingParser(), goodRecords);
        var local = await RunLocalAsync(parser, new LocalFileSource(inputDirectory), "records.txt");
        var s3 = await RunS3Async(parser, new LocalFileSource(inputDirectory), docs, "errors/errored-large/", false, "records.txt");

        Assert.That(s3.Summary.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(s3.Summary.Tasks.Single().ErrorMessage, Does.Contain(FailingAfter.Message).And.Not.Contain("writing the task's output failed"));
        var expected = await File.ReadAllBytesAsync(Path.Combine(local.DocumentsDirectory, "task-0001.records.errored.jsonl"));
        Assert.That(expected.Length, Is.GreaterThan(2 * S3PartUploadSize), "the good output spans more than two parts");
        using var client = NewClient();
        Assert.That(await KeysAsync(client, docs), Is.EqualTo(new[] { $"{docs}task-0001.records.errored.jsonl" }), "no completed-looking object is left");
        var actual = await GetBytesAsync(client, $"{docs}task-0001.records.errored.jsonl");
        Assert.That(actual.Length, Is.EqualTo(expected.Length));
        Assert.That(actual, Is.EqualTo(expected));
        await DeleteAsync(client, docs);
    }

    [Test]
    public async Task AnS3OutputDatasetConfigGivesS3SinksThatWriteLikeTheLocalOnes()
    {
        // forcePathStyle is left out: the emulator env file's LETSDATA_S3_FORCE_PATH_STYLE supplies it.
        var datasetFile = Path.Combine(_tempDirectory, $"dataset-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(datasetFile, JsonSerializer.Serialize(new
        {
            datasetName = "WetTextToS3",
            readConnector = new
            {
                connectorDestination = "LocalFiles", rootPath = DataDirectory,
                artifactFile = "LetsData.Plugins.Samples/LetsData.Plugins.Samples.dll", readerType = "Single File Reader",
            },
            writeConnector = new { connectorDestination = "S3", bucketName = _bucket, prefix = "config/docs/", compress = "gzip" },
            errorConnector = new { connectorDestination = "S3", bucketName = _bucket, prefix = "config/errors/" },
            manifestFile = new { manifestType = "S3ReaderTextManifestFile", readerType = "SINGLEFILEREADER", fileContents = Wet },
        }));
        var dataset = LetsData.Runtime.Datasets.DatasetLoader.Load(datasetFile, _tempDirectory);
        var problems = new List<string>();
        using var sinks = OutputSinks.TryCreate(dataset, problems)!;
        Assert.That(problems, Is.Empty);
        Assert.That(sinks.Documents, Is.TypeOf<S3DocumentSinkFactory>());
        Assert.That(sinks.Errors, Is.TypeOf<S3ErrorSinkFactory>());

        var engine = new DataTaskEngine(dataset.Name, new SingleFileReaderBinding("LetsData.Plugins.Samples", () => new WetTextParser()),
            new LocalFileSource(dataset.Read.LocalFolder!), sinks.Documents, sinks.Errors, new EngineOptions { Concurrency = 2 });
        var summary = await engine.RunAsync(Tasks(Wet));
        var local = await RunLocalAsync(() => new WetTextParser(), new LocalFileSource(DataDirectory), Wet);

        AssertCompleted(new Run(summary, "", ""));
        using var client = NewClient();
        Assert.That(Gunzip(await GetBytesAsync(client, "config/docs/task-0001.whirlwind.warc.wet.jsonl.gz")),
            Is.EqualTo(await File.ReadAllBytesAsync(Path.Combine(local.DocumentsDirectory, "task-0001.whirlwind.warc.wet.jsonl"))));
        await DeleteAsync(client, "config/");
    }

    [Test]
    public async Task ARefusedPartAbortsTheMultipartUploadAndFailsTheTaskWithoutAnObject()
    {
        var inputDirectory = await WriteRecordsAsync("refused", 16_000);
        var recording = new RequestRecordingHttpClientFactory
        {
            Refuse = r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.Contains("docs/refused/", StringComparison.Ordinal)
                && r.Contains("partNumber=2", StringComparison.Ordinal),
        };

        var run = await RunS3Async(() => new PaddingParser(), new LocalFileSource(inputDirectory), "docs/refused/", "errors/refused/", false,
            ["records.txt"], c => c.HttpClientFactory = recording);

        var task = run.Summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain($"s3://{_bucket}/docs/refused/task-0001.records.jsonl").And.Contain("uploading part 2 failed"));
        Assert.That(recording.Requests.Count(r => r.StartsWith("DELETE ", StringComparison.Ordinal) && r.Contains("docs/refused/task-0001.records.jsonl?uploadId=", StringComparison.Ordinal)),
            Is.EqualTo(1), "the multipart upload is aborted");
        Assert.That(recording.Requests.Count(r => r.Contains("partNumber=3", StringComparison.Ordinal)), Is.Zero, "nothing uploaded after the failure");
        using var client = NewClient();
        Assert.That(await KeysAsync(client, "docs/refused/"), Is.Empty);
        Assert.That(await KeysAsync(client, "errors/refused/"), Is.EqualTo(new[] { "errors/refused/task-0001.records.errored.jsonl" }));
    }

    private const int S3PartUploadSize = 5 * 1024 * 1024;

    // The one task's outputs carry its input file's stem (TaskOutputName, tested with literal names in the runtime's tests).
    private static string OutputName(string file) => file == Warc ? "task-0001.whirlwind.warc" : "task-0001.whirlwind.warc.wet";

    /// <summary>A folder with <c>records.txt</c>: <paramref name="count"/> records <c>&lt;rec&gt;n&lt;/rec&gt;</c> for <see cref="PaddingParser"/>.</summary>
    private async Task<string> WriteRecordsAsync(string name, int count)
    {
        var directory = Path.Combine(_tempDirectory, "input-" + name);
        Directory.CreateDirectory(directory);
        var input = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            input.Append("<rec>").Append(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Append("</rec>\n");
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "records.txt"), input.ToString());
        return directory;
    }

    private static Func<ISingleFileParser> ParserFor(string file) =>
        file == Warc ? () => new TargetUriExtractor() : () => new WetTextParser();

    private static void AssertCompleted(Run run) =>
        Assert.That(run.Summary.Tasks.Where(t => t.Status != DataTaskStatus.Completed).Select(t => t.ErrorMessage), Is.Empty);

    private static List<DataTaskDefinition> Tasks(params string[] fileNames) =>
        fileNames.Select((name, i) => new DataTaskDefinition($"task-{i + 1:D4}", i + 1, name, [new ManifestFileRef(null, name)])).ToList();

    private async Task<Run> RunLocalAsync(Func<ISingleFileParser> parser, IFileSource files, params string[] fileNames)
    {
        var root = Path.Combine(_tempDirectory, Guid.NewGuid().ToString("N"));
        var documents = Path.Combine(root, "documents");
        var errors = Path.Combine(root, "errors");
        var engine = new DataTaskEngine("S3WriteTest", new SingleFileReaderBinding("LetsData.Plugins.Samples", parser), files,
            new LocalFilesDocumentSinkFactory(documents), new LocalFilesErrorSinkFactory(errors), new EngineOptions { Concurrency = 2 });
        return new Run(await engine.RunAsync(Tasks(fileNames)), documents, errors);
    }

    private Task<Run> RunS3Async(Func<ISingleFileParser> parser, IFileSource files, string docsPrefix, string errorsPrefix, bool gzip,
        params string[] fileNames) => RunS3Async(parser, files, docsPrefix, errorsPrefix, gzip, fileNames, null);

    private async Task<Run> RunS3Async(Func<ISingleFileParser> parser, IFileSource files, string docsPrefix, string errorsPrefix, bool gzip,
        string[] fileNames, Action<AmazonS3Config>? configure)
    {
        using var documents = new S3DocumentSinkFactory(S3Clients.Create(true, configure), new S3OutputLocation(_bucket, docsPrefix, gzip, true), ownsClient: true);
        using var errors = new S3ErrorSinkFactory(S3Clients.Create(true, configure), new S3OutputLocation(_bucket, errorsPrefix, gzip, true), ownsClient: true);
        var engine = new DataTaskEngine("S3WriteTest", new SingleFileReaderBinding("LetsData.Plugins.Samples", parser), files,
            documents, errors, new EngineOptions { Concurrency = 2 });
        return new Run(await engine.RunAsync(Tasks(fileNames)), "", "");
    }

    private static AmazonS3Client NewClient() => new(new AmazonS3Config { ForcePathStyle = true });

    private Task<List<string>> KeysAsync(IAmazonS3 client, string prefix) => S3Objects.KeysAsync(client, _bucket, prefix);

    private async Task DeleteAsync(IAmazonS3 client, string prefix)
    {
        foreach (var key in await KeysAsync(client, prefix))
        {
            await client.DeleteObjectAsync(_bucket, key);
        }
    }

    private Task<byte[]> GetBytesAsync(IAmazonS3 client, string key) => S3Objects.GetBytesAsync(client, _bucket, key);

    private static byte[] Decode(byte[] bytes, bool gzip) => gzip ? Gunzip(bytes) : bytes;

    private static byte[] Gunzip(byte[] bytes) => S3Objects.Gunzip(bytes);

    private static string[] Lines(byte[] utf8)
    {
        var text = Encoding.UTF8.GetString(utf8);
        Assert.That(text, Does.EndWith("\n"), "JSON Lines end with a newline");
        return text[..^1].Split('\n');
    }

    private sealed record Run(RunSummary Summary, string DocumentsDirectory, string ErrorsDirectory);

    /// <summary>Wraps a sample parser and throws on the call after the first <c>goodRecords</c>: the task errors with good documents written.</summary>
    private sealed class FailingAfter(ISingleFileParser inner, int goodRecords) : ISingleFileParser
    {
        public const string Message = "test parser gave up on purpose";
        private int _parsed;

        public string S3FileType => inner.S3FileType;
        public string GetResolvedS3FileName(string s3FileType, string fileName) => inner.GetResolvedS3FileName(s3FileType, fileName);
        public RecordParseHint GetRecordStartPattern(string s3FileType) => inner.GetRecordStartPattern(s3FileType);
        public RecordParseHint GetRecordEndPattern(string s3FileType) => inner.GetRecordEndPattern(s3FileType);

        public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
        {
            if (++_parsed > goodRecords)
            {
                throw new InvalidOperationException(Message);
            }

            return inner.ParseDocument(s3FileType, s3FileName, offsetBytes, record);
        }
    }

    /// <summary>Turns each <c>&lt;rec&gt;n&lt;/rec&gt;</c> record into a document of about 800 bytes: a big output from a small input.</summary>
    private sealed class PaddingParser : ISingleFileParser
    {
        private static readonly RecordParseHint Start = RecordParseHint.ForPattern("<rec>");
        private static readonly RecordParseHint End = RecordParseHint.ForPattern("</rec>");
        private static readonly string Padding = string.Concat(Enumerable.Range(0, 80).Select(i => $"pad{i:D3}-é"));

        public string S3FileType => "PADDING";
        public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;
        public RecordParseHint GetRecordStartPattern(string s3FileType) => Start;
        public RecordParseHint GetRecordEndPattern(string s3FileType) => End;

        public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
        {
            var text = Encoding.UTF8.GetString(record);
            return new ParseDocumentResult(null, new Document($"{s3FileName}@{offsetBytes}", "padded", null,
                new Dictionary<string, object?> { ["record"] = text, ["offset"] = offsetBytes, ["padding"] = Padding }),
                ParseDocumentResultStatus.Success);
        }
    }
}
