using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Engine;

/// <summary>
/// Input that is odd but not unusable completes its task with a warning that names the file: a file that shrank while
/// it was read, a file that held no record (or nothing at all). Blank records passed over count as skips.
/// </summary>
public class InputWarningTests
{
    private const string Type = "LOG";
    private string _folder = "";

    [SetUp]
    public void CreateFolder() =>
        _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "letsdata-warnings-" + Guid.NewGuid().ToString("N"))).FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static RecordingParser LineParser() => new(Type, RecordParseHint.ForOffset(0), RecordParseHint.ForPattern("\n"));

    private string WriteFile(string name, byte[] content)
    {
        File.WriteAllBytes(Path.Combine(_folder, name), content);
        return name;
    }

    [Test]
    public async Task AFileThatShrinksWhileItIsRead_CompletesWithAWarningNamingTheFileAndBothLengths()
    {
        var lines = Enumerable.Range(0, 2000).Select(i => $"line {i:D5}\n").ToList();
        var content = Encoding.UTF8.GetBytes(string.Concat(lines));
        var name = WriteFile("shrinking.log", content);
        var keptLines = 700;
        var kept = Encoding.UTF8.GetByteCount(string.Concat(lines.Take(keptLines)));
        var source = new TruncatingFileSource(new LocalFileSource(_folder), kept);

        var run = await EngineRun.RunAsync(new SingleFileReaderBinding("test", LineParser), source, EngineRun.OneTaskPerFile(name));

        var task = run.Task("task-0001");
        Assert.That(source.Truncated, Is.True, "the file was cut during the read");
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Completed), task.ErrorMessage);
        Assert.That(run.Documents, Has.Count.EqualTo(keptLines), "the records that were still there");
        Assert.That(task.Warnings, Has.Count.EqualTo(1));
        Assert.That(task.Warnings[0], Is.EqualTo(
            $"file {Path.Combine(_folder, name)}: {content.Length} bytes when opened, but only {kept} could be read: it shrank while it was read"));
    }

    [Test]
    public async Task AnObjectShorterThanTheLengthItsSourceGave_IsWarnedToo()
    {
        // A source that is not a seekable file but knows the length (an S3 object's Content-Length).
        var source = new ShortObjectSource(TestData.Utf8("one\ntwo\n"), announcedLength: 100);

        var run = await EngineRun.RunAsync(new SingleFileReaderBinding("test", LineParser), source, EngineRun.OneTaskPerFile("obj.log"));

        Assert.That(run.Task("task-0001").Status, Is.EqualTo(DataTaskStatus.Completed));
        Assert.That(run.Task("task-0001").Warnings, Is.EqualTo(new[]
        {
            "file object:obj.log: 100 bytes when opened, but only 8 could be read: it shrank while it was read",
        }));
    }

    [Test]
    public async Task AFileReadWhole_HasNoWarning()
    {
        var name = WriteFile("whole.log", TestData.Utf8("one\ntwo\n"));

        var run = await EngineRun.RunAsync(new SingleFileReaderBinding("test", LineParser), new LocalFileSource(_folder),
            EngineRun.OneTaskPerFile(name));

        Assert.That(run.Task("task-0001").Status, Is.EqualTo(DataTaskStatus.Completed));
        Assert.That(run.Documents, Has.Count.EqualTo(2));
        Assert.That(run.Task("task-0001").Warnings, Is.Empty);
    }

    [Test]
    public async Task ABinaryFileWithNoRecord_CompletesWithAWarningNamingTheStartHint()
    {
        // Bytes that never hold the start pattern (and do not start like gzip): what a WARC reader makes of a random file.
        var binary = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7 % 251)).ToArray();
        var name = WriteFile("random.bin", binary);
        var parser = new RecordingParser("WARC", "WARC/1.0\r\n", "\r\n\r\nWARC/1.0");

        var run = await EngineRun.RunAsync(new SingleFileReaderBinding("test", () => parser), new LocalFileSource(_folder),
            EngineRun.OneTaskPerFile(name));

        var task = run.Task("task-0001");
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Completed), "no record is not an error");
        Assert.That(parser.Seen, Is.Empty);
        Assert.That(task.Warnings, Is.EqualTo(new[]
        {
            $"file {Path.Combine(_folder, name)}: 5000 bytes read, no record found — is it the right file type for the record start hint Pattern(\"WARC/1.0\\r\\n\")?",
        }));
    }

    [Test]
    public async Task AnEmptyFile_SaysEmptyFile()
    {
        var name = WriteFile("empty.log", []);

        var run = await EngineRun.RunAsync(new SingleFileReaderBinding("test", LineParser), new LocalFileSource(_folder),
            EngineRun.OneTaskPerFile(name));

        Assert.That(run.Task("task-0001").Status, Is.EqualTo(DataTaskStatus.Completed));
        Assert.That(run.Task("task-0001").Warnings, Is.EqualTo(new[] { $"file {Path.Combine(_folder, name)}: empty file, no record" }));
    }

    [Test]
    public async Task AGzipFileWithNoRecord_SaysBothSizes()
    {
        var compressed = TestData.GzipMembers([TestData.Utf8("no start pattern in here")]);

        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => new RecordingParser(Type, "<r>", ";"),
            new HarnessFile(Type, "plain.log.gz", compressed));

        Assert.That(result.Tasks[0].Succeeded, Is.True);
        Assert.That(result.Tasks[0].Warnings, Is.EqualTo(new[]
        {
            $"file memory:plain.log.gz: {compressed.Length} bytes read (24 decompressed), no record found — is it the right file type for the record start hint Pattern(\"<r>\")?",
        }), "the harness shows it too");
    }

    [Test]
    public async Task AStateMachineReaderOverAFileWithNoRecord_IsWarnedWithTheHintItSearchedFor()
    {
        var result = await LetsDataTestHarness.RunSingleFileStateMachineReaderAsync(() => new CycleReader(),
            HarnessFile.FromText(CycleParser.FileTypeName, "other.dat", "no cycle records here"));

        Assert.That(result.Tasks[0].Succeeded, Is.True, result.Tasks[0].ErrorMessage);
        Assert.That(result.Tasks[0].Warnings, Is.EqualTo(new[]
        {
            "file memory:other.dat: 21 bytes read, no record found — is it the right file type for the record start hint Pattern(\"<A>\")?",
        }));
    }

    [Test]
    public async Task BlankLinesPassedOver_CountAsSkips([Values] bool stateMachine)
    {
        var text = "a\n\n\nb\n\n";
        var file = HarnessFile.FromText(Type, "blank.log", text);

        var result = stateMachine
            ? await LetsDataTestHarness.RunSingleFileStateMachineReaderAsync(() => new LineReader(), file)
            : await LetsDataTestHarness.RunSingleFileParserAsync(LineParser, file);

        Assert.That(result.Tasks[0].Succeeded, Is.True, result.Tasks[0].ErrorMessage);
        Assert.That(result.Documents, Has.Count.EqualTo(2));
        Assert.That(result.SkipCount, Is.EqualTo(3), "two blank lines before b, one after it");
    }

    /// <summary>
    /// A local file that another process cuts to <paramref name="keepBytes"/> right after the first read from it (the
    /// format sniff): the rest of the read meets the new end.
    /// </summary>
    private sealed class TruncatingFileSource(LocalFileSource files, long keepBytes) : IFileSource
    {
        public bool Truncated { get; private set; }

        public async ValueTask<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken)
        {
            var stream = await files.OpenReadAsync(fileName, cancellationToken);
            return new TruncateAfterFirstRead(stream, () =>
            {
                // Like `truncate -s`: another handle, outside the reader's.
                using var handle = File.OpenHandle(Describe(fileName), FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                RandomAccess.SetLength(handle, keepBytes);
                Truncated = true;
            });
        }

        public string Describe(string fileName) => files.Describe(fileName);
    }

    /// <summary>Forwards to a seekable file stream (its length stays visible) and runs an action once after the first read.</summary>
    private sealed class TruncateAfterFirstRead(Stream inner, Action afterFirstRead) : Stream
    {
        private Action? _afterFirstRead = afterFirstRead;

        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            AfterRead();
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            AfterRead();
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void AfterRead()
        {
            var action = _afterFirstRead;
            _afterFirstRead = null;
            action?.Invoke();
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Serves one object whose announced length is larger than its content.</summary>
    private sealed class ShortObjectSource(byte[] content, long announcedLength) : IFileSource
    {
        public ValueTask<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken) =>
            ValueTask.FromResult<Stream>(new AnnouncedLengthStream(content, announcedLength));

        public string Describe(string fileName) => $"object:{fileName}";
    }

    /// <summary>A forward-only stream that can be reopened at an offset and tells a length, as an S3 object's body does.</summary>
    private sealed class AnnouncedLengthStream(byte[] content, long announcedLength) : MemoryStream(content), IReopenableAtOffset
    {
        public override bool CanSeek => false;
        public override long Length => announcedLength;

        public ValueTask<Stream> OpenAtAsync(long offset, long expectedBytes, CancellationToken cancellationToken) =>
            throw new NotSupportedException("not a gzip file: never split");
    }

    /// <summary>A single-file state-machine reader of lines: one record type, a record per line.</summary>
    private sealed class LineReader : ISingleFileStateMachineReader, ISingleFileStateMachineParser
    {
        public string S3FileType => Type;

        public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

        public ISingleFileStateMachineParser GetParser(string s3FileType) => this;

        public string GetNextExpectedRecordType(string s3FileType, string? lastProcessedRecordType) => "line";

        public RecordParseHint GetNextRecordStartPattern(string s3FileType, string nextExpectedRecordType, IDocument? lastProcessedDoc) =>
            RecordParseHint.ForOffset(0);

        public RecordParseHint GetNextRecordEndPattern(string s3FileType, string nextExpectedRecordType, IDocument? lastProcessedDoc) =>
            RecordParseHint.ForPattern("\n");

        public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, string? lastProcessedRecordType,
            IDocument? lastProcessedDoc, ReadOnlySpan<byte> record) =>
            new("line", RecordingParser.DocumentOf(new SeenRecord(s3FileName, offsetBytes, record.ToArray())), ParseDocumentResultStatus.Success);

        public ParseCompositeDocumentResult ParseDocument(string s3FileType, string? lastProcessedRecordType, IDocument? lastProcessedDoc,
            ISystemFileReader fileReader)
        {
            // Peeks first, as readers that look ahead do: the blank lines are counted once, when the line is consumed.
            fileReader.NextRecord(peek: true);
            return CompositeResult.Of(fileReader, fileReader.NextRecord());
        }
    }
}
