using System.Globalization;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Integration.Tests.Support;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.TargetUris;
using LetsData.Plugins.Samples.WetText;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Plugins.Samples.Tests.CommonCrawl;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Reading.S3;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Connectors;
using LetsData.Runtime.Connectors.S3;

namespace LetsData.Integration.Tests.S3;

/// <summary>
/// The S3 read connector against s3rver: the bundled Common Crawl files uploaded to a bucket of this fixture, run
/// through the worker's engine with the sample plugins, compared with the same run over the local files.
/// </summary>
public class S3ReadConnectorTests
{
    private const string Prefix = "crawl/2024/";
    private const string Warc = "whirlwind.warc.gz";
    private const string Wet = "whirlwind.warc.wet.gz";
    private const string Wat = "whirlwind.warc.wat.gz";

    /// <summary>Short waits: the resume path is exercised, not the production backoff.</summary>
    private static readonly S3ResumeOptions FastResume = new()
    {
        MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(5), MaxBackoff = TimeSpan.FromMilliseconds(20),
    };

    private string _bucket = "";
    private string _tempDirectory = "";

    private static string LocalDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "commoncrawl");

    [OneTimeSetUp]
    public async Task UploadTheBundledFiles()
    {
        _bucket = $"letsdata-it-{Guid.NewGuid().ToString("N")[..12]}";
        _tempDirectory = Directory.CreateTempSubdirectory("letsdata-s3-tests-").FullName;
        using var client = NewClient();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
        foreach (var name in new[] { Warc, Wet, Wat })
        {
            // Default SDK settings (aws-chunked uploads): the emulator wrapper must store the bytes unchanged.
            await client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = Prefix + name, FilePath = Path.Combine(LocalDirectory, name) });
        }
    }

    [OneTimeTearDown]
    public void RemoveTempFiles() => Directory.Delete(_tempDirectory, recursive: true);

    [Test]
    public async Task UploadedObjectsAreByteIdenticalToTheFiles()
    {
        using var client = NewClient();
        foreach (var name in new[] { Warc, Wet, Wat })
        {
            using var response = await client.GetObjectAsync(_bucket, Prefix + name);
            using var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy);
            Assert.That(copy.ToArray(), Is.EqualTo(await File.ReadAllBytesAsync(Path.Combine(LocalDirectory, name))), name);
        }
    }

    [Test]
    public async Task TargetUrisReadFromS3EqualTheLocalFileRun()
    {
        var local = await RunAsync(() => new TargetUriExtractor(), new LocalFileSource(LocalDirectory), Warc);
        using var s3 = S3FileSource.Create(_bucket, Prefix, forcePathStyle: true);

        var fromS3 = await RunAsync(() => new TargetUriExtractor(), s3, Warc);

        AssertCompleted(local);
        AssertCompleted(fromS3);
        Assert.That(local.Documents, Is.Not.Empty);
        Assert.That(fromS3.Documents, Is.EqualTo(local.Documents));
    }

    [Test]
    public async Task WetTextReadFromS3EqualsTheLocalFileRun()
    {
        var local = await RunAsync(() => new WetTextParser(), new LocalFileSource(LocalDirectory), Wet);
        using var s3 = S3FileSource.Create(_bucket, Prefix, forcePathStyle: true);

        var fromS3 = await RunAsync(() => new WetTextParser(), s3, Wet);

        AssertCompleted(local);
        AssertCompleted(fromS3);
        Assert.That(local.Documents, Is.Not.Empty);
        Assert.That(fromS3.Documents, Is.EqualTo(local.Documents));
    }

    [Test]
    public async Task AnS3DatasetConfigGivesAnS3SourceThatRunsLikeTheLocalOne()
    {
        // forcePathStyle is left out: the emulator env file's LETSDATA_S3_FORCE_PATH_STYLE supplies it.
        var dataset = DatasetLoader.Load(WriteDataset(new
        {
            connectorDestination = "S3",
            bucketName = _bucket,
            prefix = Prefix,
            artifactFile = "LetsData.Plugins.Samples/LetsData.Plugins.Samples.dll",
            readerType = "Single File Reader",
        }), _tempDirectory);
        var problems = new List<string>();
        var files = FileSources.TryCreate(dataset, problems)!;
        using var owned = files as IDisposable;
        Assert.That(problems, Is.Empty);

        Assert.That(dataset.Read, Is.TypeOf<S3InputLocation>());
        Assert.That(files, Is.TypeOf<S3FileSource>());
        Assert.That(files.Describe(Warc), Is.EqualTo($"s3://{_bucket}/{Prefix}{Warc}"));
        var tasks = ManifestParser.Parse(dataset.ManifestText, dataset.ReaderType, dataset.ManifestSource);
        var fromS3 = await RunAsync(() => new TargetUriExtractor(), files, tasks);
        var local = await RunAsync(() => new TargetUriExtractor(), new LocalFileSource(LocalDirectory), Warc);

        AssertCompleted(fromS3);
        Assert.That(fromS3.Documents, Is.EqualTo(local.Documents));
    }

    [Test]
    public async Task ADroppedConnectionMidObjectResumesFromTheLastByteReceived()
    {
        var undisturbed = await RunAsync(() => new TargetUriExtractor(), new LocalFileSource(LocalDirectory), Warc);
        var faults = new FaultInjectingHttpClientFactory(Prefix + Warc, 7_000);
        using var s3 = S3FileSource.Create(_bucket, Prefix, forcePathStyle: true, FastResume, c => c.HttpClientFactory = faults);

        var resumed = await RunAsync(() => new TargetUriExtractor(), s3, Warc);

        AssertCompleted(resumed);
        Assert.That(resumed.Documents, Is.EqualTo(undisturbed.Documents));
        Assert.That(faults.DroppedAt, Is.EqualTo(new[] { 7_000L }));
        var gets = faults.GetsOfTarget();
        Assert.That(gets.Select(g => g.Range), Is.EqualTo(new string?[] { null, "bytes=7000-" }));
        Assert.That(gets[1].Status, Is.EqualTo(206));
        Assert.That(gets[1].IfMatch, Is.Not.Null.And.Not.Empty, "the resumed GET is pinned to the first response's ETag");
    }

    /// <summary>
    /// A gzip object large enough to split is inflated in blocks on every core, as a local file is: each block after
    /// the first is a ranged GET pinned to the first response's ETag (a replaced object cannot mix versions), and the
    /// documents are the ones the sequential path gives.
    /// </summary>
    [Test]
    public async Task ALargeGzipObjectIsInflatedInParallelBlocksFromRangedGetsPinnedToItsVersion()
    {
        var (name, sequential) = await LargeWarcAsync();
        var gets = new FaultInjectingHttpClientFactory(Prefix + name);
        using var s3 = S3FileSource.Create(_bucket, Prefix, forcePathStyle: true, configure: c => c.HttpClientFactory = gets);

        var fromS3 = await RunAsync(() => new TargetUriExtractor(), s3, name);

        AssertCompleted(fromS3);
        Assert.That(fromS3.Documents, Is.EqualTo(sequential.Documents));
        var targetGets = gets.GetsOfTarget();
        Assert.That(targetGets[0].Range, Is.Null, "the first block comes from the task's own GET");
        var blockGets = targetGets.Skip(1).ToList();
        Assert.That(blockGets, Has.Count.GreaterThanOrEqualTo(2), "the object was read in several blocks");
        // Bounded ranges: a GET to the end of the object, abandoned after its block, would waste the server's sending.
        Assert.That(blockGets.Select(g => g.Range), Has.All.Match("^bytes=[1-9][0-9]*-[0-9]+$"));
        Assert.That(blockGets.Select(g => RangeOf(g).Length), Has.All.LessThanOrEqualTo(5 << 20));
        Assert.That(blockGets.Select(g => g.Status), Has.All.EqualTo(206));
        Assert.That(blockGets.Select(g => g.IfMatch), Has.All.Not.Null.And.All.Not.Empty, "every block is pinned to the object's version");
    }

    /// <summary>A block's connection dropped mid-body resumes that block from its last byte, as the task's own stream does.</summary>
    [Test]
    public async Task ABlockWhoseConnectionDropsResumesFromItsLastByteReceived()
    {
        var (name, sequential) = await LargeWarcAsync();
        // The task's own GET is left alone; the first block GET is cut after 100,000 bytes.
        var faults = new FaultInjectingHttpClientFactory(Prefix + name, long.MaxValue, 100_000);
        using var s3 = S3FileSource.Create(_bucket, Prefix, forcePathStyle: true, FastResume, c => c.HttpClientFactory = faults);

        var fromS3 = await RunAsync(() => new TargetUriExtractor(), s3, name);

        AssertCompleted(fromS3);
        Assert.That(fromS3.Documents, Is.EqualTo(sequential.Documents));
        Assert.That(faults.DroppedAt, Is.EqualTo(new[] { 100_000L }));
        var starts = faults.GetsOfTarget().Skip(1).Select(g => RangeOf(g).Start).ToList();
        Assert.That(starts.Any(resumedAt => starts.Contains(resumedAt - 100_000)), Is.True,
            $"a block GET resumed 100,000 bytes after a block's start: {string.Join(", ", starts)}");
    }

    /// <summary>The first byte and the length of a GET's <c>bytes=first-last</c> range.</summary>
    private static (long Start, long Length) RangeOf(RecordedGet get)
    {
        var bounds = get.Range!["bytes=".Length..].Split('-');
        var start = long.Parse(bounds[0], CultureInfo.InvariantCulture);
        return (start, long.Parse(bounds[1], CultureInfo.InvariantCulture) - start + 1);
    }

    /// <summary>
    /// A generated Common Crawl WARC of about 27 MB gzip (the runtime splits files of 16 MB and more into 4 MB blocks),
    /// uploaded once for the fixture, and the documents of the sequential path over the same bytes.
    /// </summary>
    private Task<(string Name, Run Sequential)> LargeWarcAsync() => _largeWarc ??= UploadLargeWarcAsync();

    private Task<(string Name, Run Sequential)>? _largeWarc;

    private async Task<(string Name, Run Sequential)> UploadLargeWarcAsync()
    {
        using var warc = new MemoryStream();
        CommonCrawlCorpus.Write(new CorpusOptions(12_000, Seed: 41, HtmlDirectory: null), warc, Stream.Null, Stream.Null);
        var content = warc.ToArray();
        Assert.That(content.Length, Is.GreaterThan(24 << 20), "the generated WARC must be large enough to be split into several blocks");
        const string name = "large/generated.warc.gz";
        using (var client = NewClient())
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = Prefix + name, InputStream = new MemoryStream(content) });
        }

        // The sequential path: one inflating thread over a stream that cannot split (no length, no reopening).
        var sequential = await RunAsync(() => new TargetUriExtractor(), new UnsplittableSource(content), name);
        AssertCompleted(sequential);
        Assert.That(sequential.Documents, Has.Count.GreaterThan(10_000));
        return (name, sequential);
    }

    /// <summary>In-memory bytes behind a plain forward-only stream: what the runtime cannot split, so it inflates on one thread.</summary>
    private sealed class UnsplittableSource(byte[] content) : IFileSource
    {
        public ValueTask<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken) =>
            ValueTask.FromResult<Stream>(new ForwardOnly(new MemoryStream(content, writable: false)));

        public string Describe(string fileName) => "unsplittable:" + fileName;

        private sealed class ForwardOnly(Stream inner) : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }

    [Test]
    public async Task SeveralDropsResumeEachTimeWithoutRereadingFromZero()
    {
        var undisturbed = await RunAsync(() => new WetTextParser(), new LocalFileSource(LocalDirectory), Wet);
        var faults = new FaultInjectingHttpClientFactory(Prefix + Wet, 1_000, 1_000, 500);
        using var s3 = S3FileSource.Create(_bucket, Prefix, forcePathStyle: true, FastResume, c => c.HttpClientFactory = faults);

        var resumed = await RunAsync(() => new WetTextParser(), s3, Wet);

        AssertCompleted(resumed);
        Assert.That(resumed.Documents, Is.EqualTo(undisturbed.Documents));
        Assert.That(faults.GetsOfTarget().Select(g => g.Range),
            Is.EqualTo(new string?[] { null, "bytes=1000-", "bytes=2000-", "bytes=2500-" }));
    }

    [Test]
    public async Task AConnectionThatKeepsDroppingFailsTheTaskNamingBucketKeyAndOffset()
    {
        // The first body breaks after 4,000 bytes; every resumed one breaks before its first byte.
        var faults = new FaultInjectingHttpClientFactory(Prefix + Warc, 4_000, 0, 0, 0, 0, 0);
        using var s3 = S3FileSource.Create(_bucket, Prefix, forcePathStyle: true, FastResume, c => c.HttpClientFactory = faults);

        var run = await RunAsync(() => new TargetUriExtractor(), s3, Warc);

        var task = run.Summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain($"s3://{_bucket}/{Prefix}{Warc}").And.Contain("byte offset 4000")
            .And.Contain($"{FastResume.MaxAttempts} resume attempt(s)"));
        Assert.That(faults.GetsOfTarget().Skip(1).Select(g => g.Range), Has.All.EqualTo("bytes=4000-"));
        Assert.That(faults.GetsOfTarget(), Has.Count.EqualTo(1 + FastResume.MaxAttempts));
    }

    [Test]
    public async Task AMissingObjectFailsItsTaskNamingTheObject()
    {
        using var s3 = S3FileSource.Create(_bucket, Prefix, forcePathStyle: true);

        var run = await RunAsync(() => new TargetUriExtractor(), s3, Warc, "no-such-file.warc.gz");

        Assert.That(run.Summary.Tasks.Single(t => t.TaskId == "task-0001").Status, Is.EqualTo(DataTaskStatus.Completed));
        var missing = run.Summary.Tasks.Single(t => t.TaskId == "task-0002");
        Assert.That(missing.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(missing.ErrorMessage, Does.Contain($"s3://{_bucket}/{Prefix}no-such-file.warc.gz"));
    }

    [Test]
    public async Task AMissingBucketFailsTheTaskNamingTheBucket()
    {
        using var s3 = S3FileSource.Create($"{_bucket}-absent", Prefix, forcePathStyle: true);

        var run = await RunAsync(() => new TargetUriExtractor(), s3, Warc);

        var task = run.Summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain($"s3://{_bucket}-absent/{Prefix}{Warc}"));
    }

    private static AmazonS3Client NewClient() => new(new AmazonS3Config { ForcePathStyle = true });

    private static void AssertCompleted(Run run) =>
        Assert.That(run.Summary.Tasks.Where(t => t.Status != DataTaskStatus.Completed).Select(t => t.ErrorMessage), Is.Empty);

    private static Task<Run> RunAsync(Func<ISingleFileParser> parser, IFileSource files, params string[] fileNames) =>
        RunAsync(parser, files, fileNames.Select((name, i) =>
            new DataTaskDefinition($"task-{i + 1:D4}", i + 1, name, [new ManifestFileRef(null, name)])).ToList());

    private static async Task<Run> RunAsync(Func<ISingleFileParser> parser, IFileSource files, IReadOnlyList<DataTaskDefinition> tasks)
    {
        var sinks = new CapturingSinks();
        var engine = new DataTaskEngine("S3Test", new SingleFileReaderBinding("LetsData.Plugins.Samples", parser), files, sinks, sinks,
            new EngineOptions { Concurrency = 2 });
        var summary = await engine.RunAsync(tasks);
        return new Run(summary, sinks.Serialized, sinks.Errors);
    }

    private string WriteDataset(object readConnector)
    {
        var path = Path.Combine(_tempDirectory, $"dataset-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            datasetName = "TargetUrisS3",
            readConnector,
            writeConnector = new { connectorDestination = "LocalFiles", outputPath = Path.Combine(_tempDirectory, "documents") },
            errorConnector = new { connectorDestination = "LocalFiles", outputPath = Path.Combine(_tempDirectory, "errors") },
            manifestFile = new { manifestType = "S3ReaderTextManifestFile", readerType = "SINGLEFILEREADER", fileContents = Warc },
        }));
        return path;
    }

    private sealed record Run(RunSummary Summary, IReadOnlyList<string> Documents, IReadOnlyList<ErrorRecord> Errors);
}
